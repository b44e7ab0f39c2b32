"""Discussion prompts: choosing passages by rotation, rendering the prompt, posting it with a thread (/discuss, /debate)."""

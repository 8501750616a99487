"""BERT-style encoders on ONNX Runtime: what the embedder and the stance model both run on.

weights.py  where each tensor lies in a safetensors file (its header; no torch)
graph.py    the ONNX graph of a model folder, pointing at its safetensors (needs `onnx`)
session.py  an ONNX Runtime session with the model's own fast tokenizer (no torch)
"""

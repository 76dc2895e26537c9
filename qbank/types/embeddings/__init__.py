"""Word embeddings: one-hot versus dense vectors, word2vec representations."""

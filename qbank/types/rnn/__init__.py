"""Recurrent networks: single steps of LSTM and GRU cells."""

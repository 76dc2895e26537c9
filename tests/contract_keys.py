"""The public JSON keys of the catalogue's contract types (../shared/CATALOGUE.md).

Written out here by hand from the catalogue, so a type whose keys drift from
the published contract fails the contract test.
"""

CONTRACT_KEYS = {
    "retrieval.precision_recall": ({"relevant", "total_relevant"},
                                   {"precision", "recall", "average_precision"}),
    "params.dense_layer": ({"n_in", "n_out", "bias", "norm"}, {"total"}),
    "params.mlp": ({"input_shape", "hidden", "n_classes"}, {"per_layer", "total"}),
    "attention.qkv_params": ({"d_model", "d_k", "d_v", "bias"}, {"w_q", "w_k", "w_v", "total"}),
    "attention.multihead": ({"d_model", "heads", "bias"},
                            {"d_head", "qkv_params", "output_params", "total"}),
    "attention.ops_count": ({"n", "d_model", "d_k", "d_v"},
                            {"projections", "scores", "weighted_sum", "total"}),
    "transformer.ffn": ({"d_model", "d_ff"}, {"multiplications", "params"}),
    "transformer.layer_params": ({"d_model", "heads", "d_ff", "n_layers"}, {"per_layer", "total"}),
    "cnn.output_size": ({"height", "width", "kernel", "padding", "stride"},
                        {"out_height", "out_width"}),
    "cnn.conv_params": ({"kernel", "in_channels", "filters", "bias"}, {"params"}),
    "cnn.convolve": ({"image", "kernel", "stride"}, {"output"}),
    "cnn.maxpool_backward": ({"input", "upstream", "pool", "stride"}, {"pooled", "grad_input"}),
    "attention.softmax_scores": ({"scores", "scale"}, {"weights"}),
    "attention.scaled_dot_product": ({"q", "k", "v"}, {"scores", "weights", "output"}),
    "encoding.sinusoidal": ({"pos", "d_model"}, {"vector"}),
    "decoding.greedy_vs_beam": ({"first", "second", "beam_width"},
                                {"greedy_sequence", "greedy_prob", "beam_sequence", "beam_prob"}),
    "activations.gelu": ({"x"}, {"value"}),
    "linear.deep_linear_collapse": ({"W1", "b1", "W2", "b2"}, {"W", "b"}),
    "regression.ridge_closed_form": ({"X", "y", "lam"}, {"gradient_at_zero", "theta_star"}),
    "logreg.gradient_step": ({"X", "y", "theta", "b", "lr"},
                             {"gradient_theta", "gradient_b", "theta_next", "b_next"}),
    "losses.cross_entropy": ({"probs", "labels"}, {"per_sample", "total", "mean"}),
    "losses.entropy": ({"probs"}, {"entropy_bits", "entropy_nats"}),
    "losses.focal": ({"p", "y", "alpha", "gamma"}, {"ce", "focal"}),
    "losses.softmax_ce_gradient": ({"logits", "target"}, {"probs", "gradient"}),
    "losses.sigmoid_mse_gradient": ({"z", "t"}, {"y", "gradient"}),
    "rnn.lstm_step": ({"x", "h_prev", "c_prev", "w_ih", "w_hh", "b_ih", "b_hh"}, {"h", "c"}),
    "rnn.gru_step": ({"x", "h_prev", "w_ih", "w_hh", "b_ih", "b_hh"}, {"h"}),
    "bias_variance.decomposition": ({"predictions", "f_true", "noise_var"},
                                    {"bias_sq", "variance", "expected_error"}),
}

# The types the foundation issue promises.
FOUNDATION_TYPES = (
    "retrieval.precision_recall", "params.dense_layer", "params.mlp", "attention.qkv_params",
    "attention.multihead", "attention.ops_count", "transformer.ffn", "transformer.layer_params",
    "attention.softmax_scores", "cnn.output_size", "cnn.conv_params",
)

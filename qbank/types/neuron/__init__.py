"""Single neurons: pre-activation and activation output."""

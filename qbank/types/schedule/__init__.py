"""Learning-rate schedules: warmup and decay."""

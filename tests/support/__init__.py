"""Code that tests load into the running assistant (never imported by bot/ or actions/)."""

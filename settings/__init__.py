"""What a running carebot is given: its settings (a TOML file, then environment variables)
and the clock it reads the time from. Every other package may use these; they use none."""

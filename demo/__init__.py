"""`carebot demo`: a week of a council's carebot, offline, on the local emulator, ending in
real reports on disk."""

"""`carebot demo`: three weeks of a council's carebot, offline, on the local emulator, ending in
real reports on disk."""

"""``python -m plainspeak`` runs the command line, exactly as the ``plainspeak`` script does."""

from plainspeak.cli import main

if __name__ == "__main__":
    main()

"""Allow ``python -m ocp_check``."""

from ocp_check.cli import main

if __name__ == "__main__":
    main()

"""Allow ``python -m ocp_check``."""

from ocp_check.entry import main

if __name__ == "__main__":
    main()

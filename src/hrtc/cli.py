"""The `hrtc` command: every Django management command, with hyphens allowed.

`hrtc load-reference` runs the `load_reference` management command, `hrtc migrate` runs
`migrate`, `hrtc shell` runs `shell`, and so on.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrtc.config.settings")
    argv[0] = "hrtc"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

"""Progress bars for management commands."""

from tqdm import tqdm


class CommandOutput:
    """A command's output as tqdm writes to it: no newline after each redraw."""

    def __init__(self, output):
        self.output = output

    def write(self, text):
        self.output.write(text, ending="")

    def flush(self):
        self.output.flush()


def progress_bar(command, iterable, *, unit, verbosity, total=None):
    """Iterate over `iterable` with a bar on `command`'s error output."""
    return tqdm(
        iterable,
        total=total,
        unit=unit,
        file=CommandOutput(command.stderr),
        disable=verbosity == 0,
    )

"""What an import did: counts of rows loaded, and of rows skipped per reason with examples."""
from collections import Counter
from dataclasses import dataclass, field

EXAMPLES_PER_REASON = 5


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)  # "loaded", "inserted", ...
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    notes: Counter = field(default_factory=Counter)  # repaired, left in place, ... (not skips)
    examples: dict = field(default_factory=dict)  # reason/note -> first few examples
    redrawn_months: list = field(default_factory=list)  # crime months whose cached tiles are stale

    def skip(self, reason, example=None):
        self.skipped[reason] += 1
        self._example(reason, example)

    def note(self, what, example=None, count=1):
        self.notes[what] += count
        self._example(what, example)

    def _example(self, key, example):
        if example is None:
            return
        bucket = self.examples.setdefault(key, [])
        if len(bucket) < EXAMPLES_PER_REASON:
            bucket.append(example)

    @property
    def total_skipped(self):
        return sum(self.skipped.values())

    def summary_lines(self):
        lines = [f"{what}: {count:,}" for what, count in self.counts.items()]
        lines.append(f"skipped: {self.total_skipped:,}")
        for reason, count in self.skipped.most_common():
            lines.append(f"  {reason}: {count:,}" + self._examples_text(reason))
        for what, count in self.notes.most_common():
            lines.append(f"note — {what}: {count:,}" + self._examples_text(what))
        return lines

    def _examples_text(self, key):
        examples = self.examples.get(key)
        return f" (e.g. {', '.join(map(str, examples))})" if examples else ""

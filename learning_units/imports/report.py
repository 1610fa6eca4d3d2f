"""What an import run found and did, kept as plain data so a preview can be stored as JSON."""

from dataclasses import asdict, dataclass, field

# A report keeps this many error lines and change samples; counts stay exact beyond them.
MAX_REPORTED_ERRORS = 10_000
MAX_SAMPLES = 200


@dataclass
class RowError:
    """One problem in one cell (or a whole row when `column` is empty, the whole file when
    `row` is None). `code` is stable for programs; `message` is for people."""

    row: int | None
    column: str
    code: str
    message: str
    value: str = ""


@dataclass
class RowSample:
    """A row that would be (or was) written: "new" or "updated", with display values."""

    row: int
    action: str
    values: dict


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    file_name: str = ""
    total_rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    applied: bool = False
    file_error: RowError | None = None
    errors: list[RowError] = field(default_factory=list)
    errors_omitted: int = 0
    warnings: list[str] = field(default_factory=list)
    samples: list[RowSample] = field(default_factory=list)
    seconds: float = 0.0
    # LMS reports: learners who are no citizens yet, their completions kept pending (exact
    # count; the list is capped like the errors).
    pending: int = 0
    unknown_learners: list[dict] = field(default_factory=list)

    @property
    def ok(self):
        """Nothing stands in the way of applying it."""
        return self.file_error is None and self.invalid == 0

    @property
    def error_codes(self):
        """The set of error codes found (file-level included): what tests and scripts check."""
        codes = {error.code for error in self.errors}
        if self.file_error:
            codes.add(self.file_error.code)
        return codes

    @property
    def changes(self):
        return self.new + self.updated

    def add_error(self, error):
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)
        else:
            self.errors_omitted += 1

    @property
    def wants_samples(self):
        return len(self.samples) < MAX_SAMPLES

    def add_sample(self, row, action, values):
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(RowSample(row, action, values))

    def add_unknown_learner(self, row, key, name):
        self.pending += 1
        if len(self.unknown_learners) < MAX_REPORTED_ERRORS:
            self.unknown_learners.append({"row": row, "learner": key, "name": name})

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data["errors"] = [RowError(**error) for error in data.get("errors", [])]
        data["samples"] = [RowSample(**sample) for sample in data.get("samples", [])]
        if data.get("file_error"):
            data["file_error"] = RowError(**data["file_error"])
        return cls(**data)

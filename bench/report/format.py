"""Number formats of the report."""


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def cores(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def duration(seconds: float) -> str:
    return f"{seconds:,.0f} s ({seconds / 60:.1f} min)" if seconds >= 90 else f"{seconds:.1f} s"


def mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB"


def ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}×"

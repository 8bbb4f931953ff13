"""What a peer does unless it says otherwise."""


class PeerBase:
    """A peer that can express every query of the mix and runs in this process (no server)."""

    def cannot(self, spec) -> str | None:
        """Why the peer cannot compute spec (reported as n/a), or None."""
        return None

    def live_pids(self) -> list[int]:
        """The peer's own processes besides this one (a server's), whose CPU is not noise."""
        return []

    def close(self) -> None:
        """Stop what the peer started."""

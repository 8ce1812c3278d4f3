/// What Cairn answers: the values behind every `--json` output of the CLI, in the shapes the
/// planned server's Cairn JSON API and the Python client's protocol are to use as well.
///
/// Each type is plain data (`Codable`, `Sendable`, `Equatable`) with one JSON shape, encoded by
/// ``CairnJSON``: snake_case keys, `null` for absent values (never a missing key), times as ISO 8601
/// strings, NaN and ±infinity as `"nan"`, `"inf"`, `"-inf"`. A thing has one shape wherever it appears:
/// a checkpoint listed by `ckpt ls`, named by `ckpt best` or found by `ckpt latest` is the same
/// ``Checkpoint``. docs/FORMAT.md (*JSON output*) lists the shapes; the CLI tests hold a golden file for
/// each command.
///
/// The store builds these values (``CairnKit/Store/info``, ``CairnKit/Store/details(of:)``,
/// ``CheckpointView/checkpoints(includingPruned:)``, ``CheckpointSaveResult/answer``, …); the CLI prints
/// them as tables or as JSON. See <doc:AnsweringAsJSON>.
public enum CairnAPI {}

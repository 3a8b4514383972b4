/// Texts derived from one input that a build may keep for the next one
/// (the build cache does): `text(name, key:make:)` returns what `make()`
/// returned in an earlier build for the same `name` and `key` (a digest of
/// everything the text is derived from), else `make()`.
protocol DerivedTexts: AnyObject, Sendable {
    func text(_ name: String, key: Digest, make: () -> String) -> String
}

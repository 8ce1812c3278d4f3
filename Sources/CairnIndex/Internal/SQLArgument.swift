/// A value bound to a `?` of generated SQL.
enum SQLArgument: Sendable, Equatable {
    case text(String)
    case real(Double)
    case integer(Int64)
}

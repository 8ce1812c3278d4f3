/// A value bound to a `?` of generated SQL.
package enum SQLArgument: Sendable, Equatable {
    case text(String)
    case real(Double)
    case integer(Int64)
}

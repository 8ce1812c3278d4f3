import CairnIndex
import PostgresNIO

/// SQL written with `?` placeholders (the portable SQL of ``SearchSQL``) as a PostgreSQL query with
/// `$1, $2, …` and its values bound, never spliced into the text.
enum PostgresStatement {
    static func query(_ sql: String, _ arguments: [SQLArgument]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .text(let text): bindings.append(IndexText.encode(text))
            // A NaN compares as missing (SQLite turns it into NULL; PostgreSQL would sort it above every number).
            case .real(let number): if number.isNaN { bindings.appendNull() } else { bindings.append(number) }
            case .integer(let number): bindings.append(number)
            }
        }
        return PostgresQuery(unsafeSQL: numbered(sql), binds: bindings)
    }

    /// The text with each `?` outside quotes replaced by `$N`.
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "?" {
                number += 1
                out += "$\(number)"
                continue
            }
            out.append(character)
        }
        return out
    }
}

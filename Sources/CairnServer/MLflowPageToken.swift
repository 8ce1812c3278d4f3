/// Page tokens of MLflow's searches: the offset of the next page, as decimal text. A token this server
/// did not give is refused.
enum MLflowPageToken {
    static func token(_ offset: Int) -> String { String(offset) }

    static func offset(_ token: String?) throws(MLflowError) -> Int {
        guard let token, !token.isEmpty else { return 0 }
        guard let offset = Int(token), offset >= 0 else {
            throw MLflowError(.invalidParameterValue, "Invalid page token '\(token)': give the next_page_token of the previous answer")
        }
        return offset
    }
}

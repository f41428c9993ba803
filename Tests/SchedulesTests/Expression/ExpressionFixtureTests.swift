import Foundation
import Testing

@testable import Schedules

/// The fixtures written by scripts/generate_expression_fixtures.py from CPython.
struct ExpressionFixtures: Decodable {
    struct Expected: Decodable, CustomStringConvertible {
        var int: Int?
        var float: String?
        var bits: String?
        var error: String?

        var description: String {
            if let int { return "int \(int)" }
            if let float, let bits { return "float \(float) (bits \(bits))" }
            return "error \(error ?? "?")"
        }
    }

    struct ValueCase: Decodable, Sendable, CustomTestStringConvertible {
        var expr: String
        var results: [Expected]
        var testDescription: String { expr.debugDescription }
    }

    struct SyntaxCase: Decodable, Sendable, CustomTestStringConvertible {
        var expr: String
        var message: String
        var column: Int
        var kind: String
        var python: String
        var testDescription: String {
            expr.count > 40 ? String(expr.prefix(40)).debugDescription + "…" : expr.debugDescription
        }
    }

    var python: String
    var epochs: [Int]
    var cases: [ValueCase]
    var syntaxErrors: [SyntaxCase]

    static func load() throws -> ExpressionFixtures {
        guard let url = Bundle.module.url(forResource: "expressions", withExtension: "json", subdirectory: "Fixtures")
        else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(ExpressionFixtures.self, from: Data(contentsOf: url))
    }

    static let shared: ExpressionFixtures? = try? load()
}

extension ExpressionFixtures.Expected: Sendable {}

/// How a Swift result reads next to an expected fixture value.
private func describe(_ outcome: Result<PythonNumber, ExpressionError>) -> String {
    switch outcome {
    case .success(.int(let value)): return "int \(value)"
    case .success(.float(let value)):
        return "float \(value) (bits \(String(value.bitPattern, radix: 16).leftPadded(to: 16)))"
    case .failure(let error): return "error \(error.kind.pythonExceptionName) [\(error)]"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

private func matches(_ outcome: Result<PythonNumber, ExpressionError>, _ expected: ExpressionFixtures.Expected) -> Bool
{
    switch outcome {
    case .success(.int(let value)):
        return expected.int == value
    case .success(.float(let value)):
        guard let bits = expected.bits, let pattern = UInt64(bits, radix: 16) else { return false }
        return value.bitPattern == pattern
    case .failure(let error):
        return expected.error == error.kind.pythonExceptionName
    }
}

@Suite("CPython fixtures")
struct ExpressionFixtureTests {
    @Test("fixture file is present and large enough")
    func fixtureFileLoads() throws {
        let fixtures = try ExpressionFixtures.load()
        #expect(fixtures.cases.count >= 150)
        #expect(fixtures.syntaxErrors.count >= 40)
        for valueCase in fixtures.cases {
            #expect(valueCase.results.count == fixtures.epochs.count, "\(valueCase.expr)")
        }
    }

    @Test("value matches CPython bit for bit at every epoch", arguments: ExpressionFixtures.shared?.cases ?? [])
    func valueCase(_ valueCase: ExpressionFixtures.ValueCase) throws {
        let epochs = try #require(ExpressionFixtures.shared).epochs
        let expression: LambdaExpression
        do {
            expression = try LambdaExpression(parsing: valueCase.expr)
        } catch {
            Issue.record("\(valueCase.expr.debugDescription): failed to parse: \(error)")
            return
        }
        for (epoch, expected) in zip(epochs, valueCase.results) {
            let outcome: Result<PythonNumber, ExpressionError>
            do {
                outcome = .success(try expression.evaluate(epoch))
            } catch {
                outcome = .failure(error)
            }
            #expect(
                matches(outcome, expected),
                "\(valueCase.expr.debugDescription) at epoch \(epoch): expected \(expected), got \(describe(outcome))"
            )
        }
    }

    @Test(
        "syntax and name errors match message, column and kind",
        arguments: ExpressionFixtures.shared?.syntaxErrors ?? []
    )
    func syntaxCase(_ syntaxCase: ExpressionFixtures.SyntaxCase) {
        do {
            let expression = try LambdaExpression(parsing: syntaxCase.expr)
            Issue.record(
                "\(syntaxCase.expr.debugDescription): parsed, but expected \(syntaxCase.message.debugDescription) (Python: \(syntaxCase.python)); evaluates to \(String(describing: try? expression.evaluate(1)))"
            )
        } catch {
            #expect(
                error.message.contains(syntaxCase.message),
                "\(syntaxCase.expr.debugDescription): message \(error.message.debugDescription) lacks \(syntaxCase.message.debugDescription)"
            )
            #expect(
                error.column == syntaxCase.column,
                "\(syntaxCase.expr.debugDescription): column \(error.column), expected \(syntaxCase.column) (\(error.message))"
            )
            #expect(
                error.kind.rawValue == syntaxCase.kind,
                "\(syntaxCase.expr.debugDescription): kind \(error.kind), expected \(syntaxCase.kind)"
            )
        }
    }
}

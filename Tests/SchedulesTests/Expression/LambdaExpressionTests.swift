import Testing

@testable import Schedules

private func value(_ source: String, _ epoch: Int = 0) throws -> PythonNumber {
    try LambdaExpression(parsing: source).evaluate(epoch)
}

private func parseError(_ source: String) -> ExpressionError? {
    do {
        _ = try LambdaExpression(parsing: source)
        return nil
    } catch {
        return error
    }
}

private func runtimeError(_ source: String, _ epoch: Int) throws -> ExpressionError? {
    let expression = try LambdaExpression(parsing: source)
    do {
        _ = try expression.evaluate(epoch)
        return nil
    } catch {
        return error
    }
}

@Suite("LambdaExpression")
struct LambdaExpressionTests {
    @Test func compilesAndEvaluatesTheCommonDecay() throws {
        let expression = try LambdaExpression(parsing: "0.95 ** epoch")
        #expect(expression.source == "0.95 ** epoch")
        #expect(expression.variableName == "epoch")
        #expect(try expression.evaluate(0) == .float(1.0))
        #expect(try expression.evaluate(1) == .float(0.95))
        #expect(try expression.evaluate(2) == .float(0.9025))
    }

    @Test func leadingLambdaNamesTheVariable() throws {
        let expression = try LambdaExpression(parsing: "lambda e: 0.9 ** e")
        #expect(expression.variableName == "e")
        #expect(try expression.evaluate(1) == .float(0.9))
        // The parameter shadows the constant `e` and the module `math`.
        #expect(try value("lambda math: math * 2", 3) == .int(6))
        #expect(parseError("lambda math: math.pi")?.kind == .unsupported)
        #expect(try value("lambda x: e", 3) == .float(2.718281828459045))
    }

    @Test func precedenceFollowsPython() throws {
        #expect(try value("-2 ** 2") == .int(-4))
        #expect(try value("2 ** -1") == .float(0.5))
        #expect(try value("2 ** 3 ** 2") == .int(512))
        #expect(try value("(-2) ** 2") == .int(4))
        #expect(try value("not 1 == 2") == .int(1))
        #expect(try value("1 + 2 * 3 ** 2 // 4 % 5") == .int(5))
        #expect(try value("10 - 4 - 3") == .int(3))
        #expect(try value("1 if 0 else 2 if 0 else 3") == .int(3))
        #expect(try value("0 or 0.0 or 5") == .int(5))
        #expect(try value("2 and 0.0 and 5") == .float(0.0))
        #expect(try value("- - 3") == .int(3))
        #expect(try value("True + True") == .int(2))
    }

    @Test func chainedComparisonsEvaluateTheMiddleOnce() throws {
        #expect(try value("0 < epoch < 10", 5) == .int(1))
        #expect(try value("0 < epoch < 10", 10) == .int(0))
        // The chain stops at the first false comparison, before the division by zero.
        #expect(try value("epoch < 5 < 1 / 0", 7) == .int(0))
        #expect(try runtimeError("epoch < 5 < 1 / 0", 3)?.kind == .zeroDivision)
        #expect(try value("1 < 2 < 3 < 4 < 5") == .int(1))
        #expect(try value("1 < 2 < 3 > 4 < 5") == .int(0))
    }

    @Test func minAndMaxReturnTheOriginalOperand() throws {
        #expect(try value("min(5.0, 5)") == .float(5.0))
        #expect(try value("max(5, 5.0)") == .int(5))
        #expect(try value("min(epoch, 2.5)", 1) == .int(1))
        #expect(try value("min(3, 1, 2, 1.0)") == .int(1))
        let minimum = try value("min(0.0, -0.0)")
        #expect(minimum.doubleValue.sign == .plus)
    }

    @Test func intsAreExactAndRefusedBeyond64Bits() throws {
        #expect(try value("2 ** 62 + (2 ** 62 - 1)") == .int(Int.max))
        #expect(try value("(-2) ** 63") == .int(Int.min))
        let tooLarge = try runtimeError("2 ** epoch", 63)
        #expect(tooLarge?.kind == .unsupported)
        #expect(tooLarge?.column == 3)
        #expect(tooLarge?.message.contains("integer result too large") == true)
        #expect(try runtimeError("epoch + 1", Int.max)?.kind == .unsupported)
        #expect(try runtimeError("-epoch", Int.min)?.kind == .unsupported)
        #expect(try runtimeError("abs(epoch)", Int.min)?.kind == .unsupported)
        #expect(try runtimeError("epoch // -1", Int.min)?.kind == .unsupported)
        #expect(try value("epoch % -1", Int.min) == .int(0))
        #expect(try value("epoch * 0.5", Int.min) == .float(-0x1p62))
        #expect(try value("epoch / 1", Int.max) == .float(0x1p63))
        #expect(parseError("9223372036854775808")?.kind == .unsupported)
        #expect(try value("9223372036854775807") == .int(Int.max))
    }

    @Test func integerDivisionIsCorrectlyRounded() throws {
        // 2**54 + 2 is halfway between two doubles: ties go to even.
        #expect(try value("(2 ** 54 + 2) / 1") == .float(0x1p54))
        #expect(try value("(2 ** 54 + 6) / 1") == .float(0x1p54 + 8))
        #expect(try value("(2 ** 54 + 3) / 1") == .float(0x1p54 + 4))
        #expect(try value("9223372036854775807 / 3") == .float(3074457345618258602.0 + 1.0 / 3))
        #expect(try value("0 / -5").doubleValue.sign == .minus)
        let quotient = PythonArithmetic.correctlyRoundedQuotient
        #expect(quotient(Int.min, 1) == -0x1p63)
        #expect(quotient(1, Int.min) == -0x1p-63)
        #expect(quotient(Int.max, Int.max) == 1)
        #expect(quotient(Int.min, Int.min) == 1)
        #expect(quotient(Int.max, 1 << 10) == 0x1p53)
    }

    @Test func intAndFloatCompareExactly() throws {
        #expect(try value("2 ** 53 + 1 == 2.0 ** 53") == .int(0))
        #expect(try value("2 ** 53 + 1 > 2.0 ** 53") == .int(1))
        #expect(try value("9223372036854775807 < 9223372036854775808.0") == .int(1))
        #expect(try value("-9223372036854775807 - 1 == -9223372036854775808.0") == .int(1))
        let order = PythonArithmetic.compareIntToDouble
        #expect(order(Int.max, 0x1p63) == .less)
        #expect(order(Int.min, -0x1p63) == .equal)
        #expect(order(Int.min + 1, -0x1p63) == .greater)
        #expect(order((1 << 60) + 1, 0x1p60 + 0.0) == .greater)
        #expect(order(1 << 60, 0x1p60) == .equal)
        #expect(order(5, .nan) == .unordered)
        #expect(order(Int.max, .infinity) == .less)
        #expect(order(Int.min, -.infinity) == .greater)
        #expect(order(-((1 << 60) + 1), -0x1p60) == .less)
    }

    @Test func runtimeErrorsCarryKindAndColumn() throws {
        let division = try runtimeError("0.5 + 1 / epoch", 0)
        #expect(
            division == ExpressionError(message: "ZeroDivisionError: division by zero", column: 9, kind: .zeroDivision)
        )
        let floatDivision = try runtimeError("0.5 + 1.0 / epoch", 0)
        #expect(floatDivision?.message == "ZeroDivisionError: float division by zero")
        let log = try runtimeError("1 + math.log(epoch)", 0)
        #expect(log == ExpressionError(message: "ValueError: math domain error", column: 5, kind: .value))
        let exp = try runtimeError("exp(epoch)", 1000)
        #expect(exp == ExpressionError(message: "OverflowError: math range error", column: 1, kind: .overflow))
        let complex = try runtimeError("(-epoch) ** 0.5", 1)
        #expect(complex?.kind == .unsupported)
        #expect(complex?.column == 10)
        let power = try runtimeError("10.0 ** epoch", 400)
        #expect(power?.kind == .overflow)
        #expect(power?.message.contains("Numerical result out of range") == true)
        #expect(
            try runtimeError("0.0 ** -epoch", 1)?.message
                == "ZeroDivisionError: 0.0 cannot be raised to a negative power"
        )
        #expect(try runtimeError("floor(epoch * 1e308)", 2)?.kind == .overflow)
        #expect(try runtimeError("floor(epoch * 1e308 - epoch * 1e308)", 2)?.kind == .value)
        #expect(try runtimeError("cos(epoch * 1e308)", 2)?.kind == .value)
        #expect(try runtimeError("log(2, epoch)", 1)?.kind == .zeroDivision)
        // Errors do not poison later evaluations.
        let expression = try LambdaExpression(parsing: "1 / epoch")
        #expect(throws: ExpressionError.self) { try expression.evaluate(0) }
        #expect(try expression.evaluate(4) == .float(0.25))
    }

    @Test func syntaxErrorsSayWhatWasExpected() {
        let unclosed = parseError("min(1, (epoch + 2)")
        #expect(unclosed?.message == "expected ',' or ')' to close 'min(' at column 4, found end of expression")
        #expect(unclosed?.column == 19)
        let paren = parseError("2 * (epoch + 1")
        #expect(paren?.message == "expected ')' to close '(' at column 5, found end of expression")
        #expect(paren?.kind == .syntax)
        #expect(parseError("epoch +* 2")?.message == "expected an expression, found '*'")
        #expect(parseError("step * 2")?.message == "name 'step' is not defined (the variable is 'epoch')")
        #expect(parseError("step * 2")?.kind == .name)
    }

    @Test func columnsCountCharacters() {
        // "é" written as e + U+0301 is one character but two Unicode scalars.
        let source = "(epoch # e\u{301}e\u{301}\n + \u{D7})"
        let error = parseError(source)
        let expected = Array(source).firstIndex(of: "\u{D7}").map { $0 + 1 }
        #expect(error?.column == expected)
        #expect(error?.message == "invalid character '\u{D7}' (U+00D7)")
    }

    @Test func layoutMatchesPythonTokenizer() throws {
        #expect(try value("  0.5 * epoch  ", 2) == .float(1.0))
        #expect(try value("0.5 * epoch\n", 2) == .float(1.0))
        #expect(try value("0.5 * epoch\r\n\n", 2) == .float(1.0))
        #expect(try value("(0.5 *\r\n epoch)", 2) == .float(1.0))
        #expect(try value("0.5 * epoch # half", 2) == .float(1.0))
        #expect(try value("0.5 * \\\n epoch", 2) == .float(1.0))
        #expect(try value("0.5\t*\u{0C}epoch", 2) == .float(1.0))
        #expect(try value("math . pi") == .float(.pi))
        #expect(try value("min(1, 2, )") == .int(1))
        #expect(try value("1_000.000_1") == .float(1000.0001))
        #expect(try value("0b1_0 + 0o1_7 + 0x_F") == .int(2 + 15 + 15))
        #expect(try value("1e309") == .float(.infinity))
        #expect(try value("1e-400") == .float(0))
        #expect(parseError("0.5 * epoch\n+ 1")?.column == 12)
    }

    @Test func sizeLimitsAreEnforcedAtTheirBoundaries() throws {
        let nested64 = String(repeating: "(", count: 64) + "epoch" + String(repeating: ")", count: 64)
        #expect(try value(nested64, 3) == .int(3))
        let nested65 = "(" + nested64 + ")"
        #expect(parseError(nested65)?.message.contains("nested too deeply") == true)
        #expect(try value(String(repeating: "-", count: 64) + "epoch", 3) == .int(3))
        let calls64 = String(repeating: "abs(", count: 64) + "epoch" + String(repeating: ")", count: 64)
        #expect(try value(calls64, -3) == .int(3))
        // The level past the limit is reported at its own opening parenthesis.
        #expect(parseError("abs(" + calls64 + ")")?.column == 4 * 65)

        let longest = String(repeating: " ", count: 995) + "epoch"
        #expect(longest.count == 1000)
        #expect(try value(longest, 7) == .int(7))
        let tooLong = longest + " "
        #expect(
            parseError(tooLong)
                == ExpressionError(
                    message: "expression is too long (1001 characters; the limit is 1000)",
                    column: 1001
                )
        )

        // 255 additions of 256 literals plus one unary minus: 512 nodes.
        let nodes512 = String(repeating: "1+", count: 255) + "-1"
        #expect(try value(nodes512) == .int(254))
        let nodes513 = String(repeating: "1+", count: 255) + "--1"
        #expect(parseError(nodes513)?.message == "expression is too large (more than 512 syntax nodes)")
        // A long conditional chain nests on the right.
        let chain = "lambda e: " + String(repeating: "e if e else ", count: 70) + "2"
        #expect(parseError(chain)?.message.contains("nested too deeply") == true)
    }

    @Test func pythonNumberHelpers() {
        #expect(PythonNumber.int(3).doubleValue == 3.0)
        #expect(PythonNumber.int(Int.max).doubleValue == 0x1p63)
        #expect(PythonNumber.float(.nan).isTruthy)
        #expect(!PythonNumber.float(-0.0).isTruthy)
        #expect(!PythonNumber.int(0).isTruthy)
        #expect(PythonNumber.float(1).isFloat)
        #expect(!PythonNumber.int(1).isFloat)
        let error = ExpressionError(message: "boom", column: 4, kind: .value)
        #expect(error.description == "column 4: boom")
        #expect(error.kind.pythonExceptionName == "ValueError")
        #expect(ExpressionError(message: "x", column: 1).kind == .syntax)
    }

    @Test func evaluatesConcurrently() async throws {
        let expression = try LambdaExpression(parsing: "0.5 * (1 + math.cos(math.pi * epoch / 100))")
        let expected = try (0..<100).map { try expression.evaluate($0) }
        let results = try await withThrowingTaskGroup(of: (Int, PythonNumber).self) { group in
            for epoch in 0..<100 {
                group.addTask { (epoch, try expression.evaluate(epoch)) }
            }
            var results = [PythonNumber](repeating: .int(0), count: 100)
            for try await (epoch, result) in group { results[epoch] = result }
            return results
        }
        #expect(results == expected)
    }
}

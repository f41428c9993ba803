#!/usr/bin/env python3
"""Generate Tests/SchedulesTests/Fixtures/expressions.json from CPython itself.

Every value case is evaluated with the real interpreter as

    eval("lambda epoch: " + expr, GLOBALS)(epoch)

(or eval(expr, GLOBALS) when the expression already starts with `lambda`), and each
result is recorded as {"int": n}, {"float": repr, "bits": hex} or {"error": ClassName}.
lrsched's expression language limits ints to 64 bits and has no complex numbers, so a
case whose evaluation produces such a value at any step (a literal, an operator result or
a call result) is recorded as {"error": "Unsupported"}. That is detected by a second,
step-by-step evaluation of the same syntax tree with the same Python operators, which
must agree with eval() everywhere else (the script checks this).

Syntax-error cases record the message fragment and column lrsched reports, and what
Python itself does with the same text ("SyntaxError", "NameError", ..., or "ok" for
valid Python that lrsched deliberately refuses).

Usage: python3 scripts/generate_expression_fixtures.py [output-path]
"""

import ast
import json
import math
import operator
import os
import random
import struct
import sys
import warnings

from fixture_support import LAMBDA_NAMESPACE

# `epoch is 1` in the syntax cases is valid Python that only warns.
warnings.filterwarnings("ignore", category=SyntaxWarning)

# The lr_lambda namespace (with Python's builtins available), plus the math module for `math.x`.
GLOBALS = {**{k: v for k, v in LAMBDA_NAMESPACE.items() if k != "__builtins__"}, "math": math}

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

EPOCHS = list(range(0, 41)) + [
    50, 63, 64, 100, 255, 709, 710, 1000, 1075, 65535, 999_999, 1_000_000,
    -1, -2, -7, -20, -1000,
]

VALUE_CASES = [
    # Basics and the common schedules.
    "0.95 ** epoch",
    "epoch",
    "1.0",
    "1",
    "True",
    "False",
    "0.1 * epoch",
    "epoch * 0.1",
    "1 - epoch / 40",
    "(1 - epoch / 40) ** 0.9",
    "0.1 ** (epoch // 10)",
    "0.1 ** (epoch / 10)",
    "min(1.0, (epoch + 1) / 10)",
    "max(0.0, 1 - epoch / 30)",
    "min((epoch + 1) / 10, 1.0) * 0.5 ** (epoch // 10)",
    "max(0.0, (40 - epoch) / max(1, 40 - 10))",
    "1 / math.sqrt(max(epoch, 10))",
    "0.5 * (1 + math.cos(math.pi * epoch / 40))",
    "0.5 * (1.0 + math.cos(math.pi * 2.0 * 0.5 * ((epoch - 5) / 35)))",
    "epoch / 5 if epoch < 5 else max(0.0, 0.5 * (1.0 + cos(pi * (epoch - 5) / 35)))",
    "0.95 ** epoch * (1 if epoch < 30 else 0.5)",
    "(epoch + 1) / 5 if epoch < 5 else 0.5 ** ((epoch - 5) // 10)",
    # True division.
    "epoch / 10",
    "epoch / 3",
    "epoch / 7",
    "1 / (epoch + 1)",
    "1 / epoch",
    "1.0 / epoch",
    "epoch / 0.0",
    "epoch / -3",
    "True / 2 + epoch",
    # Floor division and modulo, ints.
    "epoch // 3",
    "epoch % 3",
    "epoch // -3",
    "epoch % -3",
    "-epoch // 4",
    "-epoch % 4",
    "(epoch - 20) // 7",
    "(epoch - 20) % 7",
    "(epoch - 20) // -7",
    "(epoch - 20) % -7",
    "epoch // 0",
    "epoch % 0",
    "7 // (epoch - 3)",
    "7 % (epoch - 3)",
    # Floor division and modulo, floats.
    "epoch // 0.0",
    "epoch % 0.0",
    "epoch * 2.5 // 1.5",
    "epoch * 2.5 % 1.5",
    "-epoch * 0.7 // 0.3",
    "-epoch * 0.7 % 0.3",
    "epoch * 0.1 % -0.3",
    "epoch * 0.1 // -0.3",
    "(epoch - 20) * 0.25 % 1.0",
    "(epoch - 20) // 0.5",
    "(epoch - 20) // 2.0",
    "-0.0 % (epoch + 1)",
    "0.0 // -(epoch + 1)",
    "-0.0 // (epoch + 1)",
    "(epoch - 20) * 1e-300 // 1e300",
    "(epoch - 20) * 1e-300 % 1e300",
    "epoch % 0.1",
    "epoch // 0.1",
    "(epoch * 1e308) // 2",
    "(epoch * 1e308) % 2",
    "5.0 // (1e308 * epoch)",
    "-5.0 // (1e308 * epoch)",
    "-5.0 % (1e308 * epoch)",
    "(epoch * 1e308 - epoch * 1e308) % 3",
    "(epoch * 1e308 - epoch * 1e308) // 3",
    "1e308 * epoch",
    "1e308 * epoch - 1e308 * epoch",
    "-1e308 * epoch",
    # Precedence and associativity.
    "-2 ** 2",
    "2 ** -1",
    "-epoch ** 2",
    "(-epoch) ** 2",
    "2 ** 3 ** 2",
    "2 ** -epoch",
    "-2 ** -epoch",
    "epoch - 3 - 2",
    "epoch / 2 / 3",
    "epoch - -epoch",
    "- - epoch",
    "+epoch",
    "+-+epoch",
    "1 + 2 * epoch ** 2 // 3 % 5 - 1",
    "epoch * 3 % 7 * 2",
    "(epoch + 1) * (epoch - 1) / (epoch * epoch + 1)",
    "2 * -epoch",
    "not epoch > 5",
    "not not epoch",
    "-True",
    "True + True * epoch",
    "False ** 0",
    "epoch * True ** -1",
    "(epoch > 3) / 2",
    # Powers.
    "epoch ** 0.5",
    "epoch ** -0.5",
    "(-epoch) ** 0.5",
    "(-epoch * 1.0) ** 3",
    "(epoch - 20) ** 3",
    "(epoch - 20) ** -3",
    "(epoch - 20.0) ** 2.0",
    "(epoch - 20.0) ** -2",
    "0 ** epoch",
    "0.0 ** epoch",
    "0 ** -epoch",
    "0.0 ** -epoch",
    "(-0.0) ** epoch",
    "(-0.0) ** -epoch",
    "(-0.0) ** (epoch + 0.5)",
    "1 ** (epoch * 1e308 - epoch * 1e308)",
    "1.0 ** (epoch * 1e308)",
    "(epoch * 1e308 - epoch * 1e308) ** 0",
    "(epoch * 1e308 - epoch * 1e308) ** epoch",
    "(-1) ** epoch",
    "(-1.0) ** epoch",
    "(-1.0) ** (epoch * 1e308)",
    "(-1.0) ** (epoch * 1e17 + 1)",
    "0.5 ** (epoch * 1e308)",
    "2.0 ** (epoch * 1e308)",
    "2.0 ** (-epoch * 1e308)",
    "(epoch * 1e308) ** 0.5",
    "(epoch * 1e308) ** -0.5",
    "(-epoch * 1e308) ** 3",
    "(-epoch * 1e308) ** 2",
    "(-epoch * 1e308) ** -3",
    "(-epoch * 1e308) ** 0.5",
    "10.0 ** (epoch * 20)",
    "10.0 ** (-epoch * 20)",
    "(-10.0) ** (epoch * 21)",
    "2.0 ** (-1070 - epoch)",
    "(-2.0) ** (-1070 - epoch)",
    "2.0 ** (1020 + epoch)",
    "1.5 ** epoch",
    "0.5 ** epoch",
    "1.0000001 ** (epoch * 1000)",
    "2 ** epoch",
    "3 ** epoch",
    "(-2) ** epoch",
    "(-3) ** (epoch % 50)",
    "epoch ** 2",
    "epoch ** 3 - epoch ** 2",
    "epoch ** 10",
    "(epoch % 20) ** (epoch % 20)",
    "(-epoch) ** 63",
    "epoch ** 0",
    "epoch ** 1.0",
    # 64-bit int limits.
    "9223372036854775807 - epoch",
    "9223372036854775807 - epoch + 1",
    "-9223372036854775807 - epoch",
    "-9223372036854775807 - 1 + epoch",
    "(-9223372036854775807 - 1 + epoch) // -1",
    "(-9223372036854775807 - 1 + epoch) % -1",
    "abs(-9223372036854775807 - 1 + epoch)",
    "-(-9223372036854775807 - 1 + epoch)",
    "(-9223372036854775807 - 1 + epoch) * -1",
    "3037000499 * 3037000499 + epoch",
    "3037000500 * 3037000500 + epoch",
    "epoch * epoch * epoch * epoch",
    "epoch * 4611686018427387904",
    # float(), int(), round() and math.trunc(), as lambdas copied from transformers and DeepSpeed use them.
    "float(epoch) / float(max(1, 10))",
    "float(epoch) / float(max(1, epoch - 3))",
    "max(0.0, float(40 - epoch) / float(max(1, 40 - 5)))",
    "int(epoch / 3)",
    "int(-epoch / 3)",
    "int(epoch * 0.7) // 2",
    "round(epoch / 2)",
    "round(epoch / 4 - 5)",
    "round(epoch * 0.25 + 0.5) * 2",
    "round(epoch) + int(epoch) + float(epoch)",
    "math.trunc(-epoch / 4)",
    "0.5 ** int(epoch / 10)",
    "float(epoch ** 40)",
    "int(1e300 * epoch * 1e10)",
    "int(epoch / 0.0 if epoch < 0 else 0.0)",
    "round(float(epoch) * 1e308 * 10)",
    "int(math.sqrt(epoch))",
    # Int/float mixing and correctly rounded int division.
    "(2 ** 60 + epoch) / 3",
    "9007199254740993 / (epoch + 1)",
    "(2 ** 62 + 2 ** 10 * epoch + 1) / (2 ** 55 + 7)",
    "epoch / (2 ** 60 + 1)",
    "(9223372036854775807 - epoch) / (epoch - 20)",
    "-(2 ** 62) / (epoch * 7 + 3)",
    "(2 ** 53 + epoch) * 1.0",
    "(2 ** 53 + epoch) + 0.0",
    "2 ** 53 + epoch + 1.0",
    "(2 ** 60 + epoch * 3) * 0.5",
    "(2 ** 63 - 1 - epoch) * 1.0",
    "0 / (epoch - 20)",
    "(2 ** 62 + epoch) / (2 ** 62 - epoch)",
    "(2 ** 54 + 2 * epoch) / 1",
    "(2 ** 54 + 2 * epoch) / -1",
    "(2 ** 62 + 2 ** 9 * epoch) / 2 ** 9",
    "9223372036854775807 / (epoch + 1)",
    "(-9223372036854775807 - 1) / (epoch - 20)",
    "9007199254740993 * (epoch % 1000 + 1) / (epoch % 1000 + 1)",
    "(9007199254740993 + epoch) / (9007199254740993 - epoch)",
    "(2 ** 55 + 3 * epoch + 1) / (2 ** 54 + epoch)",
    # Comparisons.
    "epoch < 10",
    "0 < epoch < 10",
    "0 < epoch <= 10 < 20",
    "epoch == 5",
    "epoch != 5",
    "epoch >= 3.5",
    "epoch <= 3.5",
    "epoch > 3.5",
    "epoch * 0.1 == epoch / 10",
    "epoch * 0.1 > 1",
    "2 ** 53 + epoch == 2.0 ** 53 + epoch",
    "2 ** 53 + epoch > 2.0 ** 53 + epoch",
    "9223372036854775807 - epoch == 9.223372036854775807e18",
    "9223372036854775807 - epoch < 9.2233720368547758e18",
    "-9223372036854775807 - 1 + epoch == -9.223372036854775808e18",
    "-9223372036854775807 - 1 + epoch >= -9.223372036854775808e18",
    "2 ** 62 + epoch * 1000 < 4.611686018427388e18 + 2048",
    "(epoch * 1e308 - epoch * 1e308) == (epoch * 1e308 - epoch * 1e308)",
    "(epoch * 1e308 - epoch * 1e308) != epoch",
    "(epoch * 1e308 - epoch * 1e308) < epoch",
    "epoch < epoch * 1e308",
    "1 < epoch * 2 < epoch ** 2 < 100",
    "(epoch > 5) * 0.5 + 0.5",
    "(epoch < 10) + (epoch < 20) + (epoch < 30)",
    "epoch > 5 == True",
    "0 <= epoch % 10 < 5",
    "-0.0 == 0 * epoch",
    "epoch < 5 < 1 / 0",
    # Boolean operators.
    "epoch and 0.5",
    "epoch or 0.5",
    "not epoch",
    "not epoch and 1.5 or 2.5",
    "epoch > 3 and epoch < 8",
    "epoch % 2 == 0 or epoch % 3 == 0",
    "epoch % 3 and epoch % 5 and 1.0",
    "0.0 or epoch % 4 or -1",
    "(epoch - 10) * 0.0 or 7",
    "epoch % 2 or 1 / 0",
    "epoch > 100 and 1 / 0",
    "(epoch * 1e308 - epoch * 1e308) and 2",
    "not (epoch * 1e308 - epoch * 1e308)",
    # Conditional expressions.
    "1.0 if epoch < 10 else 0.1",
    "1.0 if epoch < 10 else 0.1 if epoch < 20 else 0.01",
    "epoch if epoch % 2 else -epoch",
    "1 / epoch if epoch else 0.0",
    "(1 if epoch < 3 else 2) * 0.5",
    "0.9 ** epoch if not epoch % 2 else 1",
    "1 if epoch else 1 / 0",
    # Functions.
    "min(epoch, 5)",
    "max(epoch, 5.0)",
    "min(epoch, 5.0)",
    "min(5.0, 5)",
    "max(5, 5.0)",
    "min(epoch % 3, epoch % 5, epoch % 7, 1.5)",
    "max(epoch % 3, epoch % 5, epoch % 7, 1.5)",
    "max(epoch * 1e308 - epoch * 1e308, 1)",
    "max(1, epoch * 1e308 - epoch * 1e308)",
    "min(0.0, -0.0 * epoch)",
    "max(-0.0 * epoch, 0)",
    "min(2 ** 53 + 1, 2.0 ** 53 + epoch)",
    "abs(epoch - 20)",
    "abs(-0.5 * epoch)",
    "abs(-0.0 * epoch)",
    "abs(-1e308 * epoch)",
    "floor(epoch / 3)",
    "ceil(epoch / 3)",
    "floor(-epoch / 3)",
    "math.floor(epoch * 0.7)",
    "math.ceil(-epoch * 0.7)",
    "floor(epoch)",
    "ceil(-0.0 * epoch)",
    "floor(epoch * 1e308)",
    "ceil(epoch * 1e308 - epoch * 1e308)",
    "floor(epoch * 1e17)",
    "ceil(epoch * 1e17)",
    "sqrt(epoch)",
    "math.sqrt(epoch - 10)",
    "sqrt(-0.0 * epoch)",
    "sqrt(epoch * 1e308)",
    "exp(-epoch / 10)",
    "exp(epoch)",
    "exp(-epoch * 100)",
    "math.exp(epoch * 1e308)",
    "math.exp(-epoch * 1e308)",
    "log(epoch)",
    "log(epoch + 1)",
    "log(epoch * 0.5)",
    "math.log(epoch + 1, 2)",
    "log(1024, epoch)",
    "log(epoch + 0.5, 10)",
    "log(epoch * 1e308)",
    "log(-epoch * 1e308)",
    "log(True + epoch)",
    "log(epoch, 0.5)",
    "cos(epoch)",
    "sin(epoch * 0.1)",
    "math.tan(epoch * pi / 8)",
    "tanh(epoch - 20)",
    "cos(epoch * 1e308)",
    "sin(epoch * 1e300)",
    "tan(epoch * 1e308)",
    "math.tanh(epoch * 1e308)",
    "math.tanh(-epoch * 1e308)",
    "math.e ** (-epoch / 20)",
    "e ** epoch",
    "pi * epoch",
    "math . pi * epoch",
    "math.sin(math.pi * epoch)",
    # Literals.
    "1_000 + epoch",
    "1_000.5 * epoch",
    ".5 * epoch",
    "5. * epoch",
    "1e-3 * epoch",
    "1E3 * epoch",
    "1.e5 + epoch",
    "1e1_0 * epoch",
    "0x10 + epoch",
    "0X_FF * epoch",
    "0o17 * epoch",
    "0b1010 - epoch",
    "1e400 * epoch",
    "1e-400 + epoch",
    "0.1 + 0.2 * epoch",
    "2.2250738585072014e-308 / (epoch + 1)",
    "5e-324 * epoch",
    "1.7976931348623157e308 + epoch * 1e292",
    "00 + 0_0 + epoch",
    "123456789.123456789e-5 * epoch",
    "0.30000000000000004 * epoch",
    "9007199254740993.0 + epoch",
    "0.1000000000000000055511151231257827021181583404541015625 * epoch",
    "2.00000000000000011102230246251565404236316680908203125 + 0 * epoch",
    "2.000000000000000111022302462515654042363166809082031250001 + 0 * epoch",
    "1.7976931348623158e308 + 0 * epoch",
    "1.7976931348623159e308 + 0 * epoch",
    "2.4703282292062328e-324 + 0 * epoch",
    "2.4703282292062327e-324 + 0 * epoch",
    "123_456.789_012e-1_0 - epoch",
    # Layout: whitespace, comments, continuation lines, line breaks inside parentheses.
    "  0.9 ** epoch  ",
    "(0.9 **\n epoch)",
    "0.9 ** epoch  # decay",
    "0.9\t**\tepoch",
    "0.9 ** \\\n epoch",
    "min(\n  1.0,\n  epoch / 10,\n)",
    "0.9 ** epoch\n",
    # Leading lambda.
    "lambda e: 0.9 ** e",
    "lambda step: min(1.0, step / 10)",
    "lambda epoch: epoch * 2",
    "lambda x: e ** -x",
    "lambda pi: pi * 2",
    "lambda  t :0.5*(1+cos(pi*t/40))",
]

# (expression, message fragment, column, kind[, True when valid Python is refused by a size limit])
SYNTAX_CASES = [
    ("", "expected an expression, found end of expression", 1, "syntax"),
    ("   ", "expected an expression", 4, "syntax"),
    ("(epoch", "expected ')' to close '(' at column 1", 7, "syntax"),
    ("((epoch) + 1", "expected ')' to close '(' at column 1", 13, "syntax"),
    ("min(epoch, 1", "expected ',' or ')' to close 'min(' at column 4", 13, "syntax"),
    ("epoch +", "expected an expression, found end of expression", 8, "syntax"),
    ("epoch epoch", "expected an operator or the end of the expression, found name 'epoch'", 7, "syntax"),
    ("1 if epoch", "expected 'else' to complete the conditional expression ('if' at column 3)", 11, "syntax"),
    ("epoch if", "expected an expression", 9, "syntax"),
    ("epoch)", "unmatched ')'", 6, "syntax"),
    ("epoch ** ", "expected an expression", 10, "syntax"),
    ("2 ** * 3", "expected an expression, found '*'", 6, "syntax"),
    ("not", "expected an expression", 4, "syntax"),
    ("epoch not 1", "unexpected 'not'", 7, "syntax"),
    ("1 .5", "expected an operator or the end of the expression", 3, "syntax"),
    ("1 + -", "expected an expression", 6, "syntax"),
    ("epoch\n+ 1", "unexpected line break", 6, "syntax"),
    ("1 +\n2", "found a line break", 4, "syntax"),
    ("epoch = 1", "assignment is not supported", 7, "syntax"),
    ("epoch <> 1", "'<>'", 7, "syntax"),
    ("!epoch", "'!'", 1, "syntax"),
    ("epoch;", "';'", 6, "syntax"),
    ("epoch \\ 1", "line continuation", 7, "syntax"),
    ("007 + epoch", "leading zeros in decimal integer literals are not permitted", 1, "syntax"),
    ("1__0 + epoch", "invalid decimal literal", 1, "syntax"),
    ("1_ + epoch", "invalid decimal literal", 1, "syntax"),
    ("1e + epoch", "invalid decimal literal", 1, "syntax"),
    ("1._5 + epoch", "invalid decimal literal", 1, "syntax"),
    ("2epoch", "invalid decimal literal", 1, "syntax"),
    ("0x", "invalid hexadecimal literal", 1, "syntax"),
    ("0b102", "invalid digit '2' in binary literal", 5, "syntax"),
    ("0o8", "invalid digit '8' in octal literal", 3, "syntax"),
    ("epoch \u00d7 2", "invalid character '\u00d7' (U+00D7)", 7, "syntax"),
    ("epoch\u00a0+ 2", "invalid non-printable character U+00A0", 6, "syntax"),
    ("math.(1)", "expected a name after 'math.'", 6, "syntax"),
    ("lambda e 0.5", "expected ':' after 'lambda e'", 10, "syntax"),
    ("lambda 1: 0.5", "expected a parameter name after 'lambda'", 8, "syntax"),
    ("1 + lambda e: e", "'lambda' is only allowed at the start", 5, "syntax"),
    ("epoch for", "unexpected keyword 'for'", 7, "syntax"),
    ("(" * 65 + "epoch" + ")" * 65, "nested too deeply", 65, "syntax", True),
    ("-" * 65 + "epoch", "nested too deeply", 65, "syntax", True),
    ("not " * 65 + "epoch", "nested too deeply", 257, "syntax", True),
    ("1+" * 256 + "1", "too large (more than 512 syntax nodes)", 512, "syntax", True),
    ("0+" * 500 + "0", "too long (1001 characters; the limit is 1000)", 1001, "syntax", True),
    # Names and calls.
    ("foo * 2", "name 'foo' is not defined (the variable is 'epoch')", 1, "name"),
    ("lambda e: epoch", "name 'epoch' is not defined (the variable is 'e')", 11, "name"),
    ("\u00e9psilon * 2", "name '\u00e9psilon' is not defined", 1, "name"),
    ("math.foo(epoch)", "module 'math' has no attribute 'foo'", 6, "name"),
    ("math.min(1, 2)", "module 'math' has no attribute 'min'", 6, "name"),
    ("abs(1, 2)", "abs() takes exactly one argument (2 given)", 1, "type"),
    ("min(epoch)", "min() takes at least 2 arguments (1 given)", 1, "type"),
    ("max()", "max() takes at least 2 arguments (0 given)", 1, "type"),
    ("log()", "log() takes 1 or 2 arguments (0 given)", 1, "type"),
    ("math.log(1, 2, 3)", "math.log() takes 1 or 2 arguments (3 given)", 1, "type"),
    ("log(epoch, base=2)", "keyword arguments are not supported", 12, "type"),
    ("lambda: 0.5", "exactly one parameter", 7, "type"),
    ("lambda a, b: a", "exactly one parameter", 9, "type"),
    ("min", "function 'min' must be called", 1, "type"),
    ("math", "'math' is a module", 1, "type"),
    ("math.pi(2)", "not callable", 8, "type"),
    ("epoch(2)", "not callable", 6, "type"),
    ("min(1, 2)(3)", "not callable", 10, "type"),
    # Valid Python that lrsched refuses.
    ("99999999999999999999 * epoch", "integer literal too large", 1, "unsupported"),
    ("math.log10(epoch)", "'math.log10' is not supported", 6, "unsupported"),
    ("round(epoch, 2)", "round(x, ndigits) is not supported", 1, "unsupported"),
    ("math.fabs(epoch)", "'math.fabs' is not supported", 6, "unsupported"),
    ("epoch[0]", "not supported", 6, "unsupported"),
    ("epoch & 1", "bitwise operator '&' is not supported", 7, "unsupported"),
    ("~epoch", "bitwise operator '~' is not supported", 1, "unsupported"),
    ("epoch << 1", "bitwise operator '<<' is not supported", 7, "unsupported"),
    ("'a'", "strings are not supported", 1, "unsupported"),
    ("1.5j * epoch", "complex literals are not supported", 1, "unsupported"),
    ("None", "'None' is not supported", 1, "unsupported"),
    ("epoch is 1", "operator 'is' is not supported", 7, "unsupported"),
    ("epoch in 1", "operator 'in' is not supported", 7, "unsupported"),
    ("(1, 2)", "tuples are not supported", 3, "unsupported"),
    ("1, 2", "tuples are not supported", 2, "unsupported"),
    ("()", "empty tuple", 2, "unsupported"),
    ("(epoch := 1)", "assignment expressions", 8, "unsupported"),
    ("lambda e=1: e", "default parameter values are not supported", 9, "unsupported"),
    ("epoch.real", "attribute access is only supported on the 'math' module", 6, "unsupported"),
    ("math.inf", "'math.inf' is not supported", 6, "unsupported"),
]


def random_cases(count, seed):
    """Random expressions, printed by ast.unparse with minimal parentheses so that they
    exercise precedence and associativity; the oracle still evaluates the text itself."""
    rng = random.Random(seed)
    floats = [0.5, 0.1, 1.5, 2.0, 1e-3, 0.95, 3.7, 0.25, 10.0, 1e10, 7.125]
    binary = [ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow]
    compare = [ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq, ast.NotEq]
    functions = ["min", "max", "abs", "floor", "ceil", "sqrt", "exp", "log", "cos", "sin", "tanh"]

    def leaf():
        choice = rng.random()
        if choice < 0.45:
            return ast.Name("epoch")
        if choice < 0.75:
            return ast.Constant(rng.randint(0, 12))
        return ast.Constant(rng.choice(floats))

    def node(depth):
        if depth == 0 or rng.random() < 0.2:
            return leaf()
        choice = rng.random()
        if choice < 0.45:
            op = rng.choice(binary)
            right = ast.Constant(rng.choice([2, 3, 0.5, 1.5])) if op is ast.Pow else node(depth - 1)
            if op is ast.Pow and rng.random() < 0.3:
                right = ast.UnaryOp(ast.USub(), right)
            return ast.BinOp(node(depth - 1), op(), right)
        if choice < 0.55:
            return ast.UnaryOp(rng.choice([ast.USub, ast.UAdd, ast.Not])(), node(depth - 1))
        if choice < 0.68:
            size = rng.choice([1, 1, 2])
            return ast.Compare(node(depth - 1), [rng.choice(compare)() for _ in range(size)],
                               [node(depth - 1) for _ in range(size)])
        if choice < 0.76:
            return ast.BoolOp(rng.choice([ast.And, ast.Or])(), [node(depth - 1), node(depth - 1)])
        if choice < 0.84:
            return ast.IfExp(node(depth - 1), node(depth - 1), node(depth - 1))
        name = rng.choice(functions)
        arguments = [node(depth - 1) for _ in range(rng.choice([2, 3]) if name in ("min", "max") else 1)]
        function = ast.Name(name) if rng.random() < 0.5 or name in ("min", "max", "abs") else \
            ast.Attribute(ast.Name("math"), name)
        return ast.Call(function, arguments, [])

    cases = []
    while len(cases) < count:
        text = ast.unparse(ast.fix_missing_locations(node(4)))
        if "epoch" in text and text not in cases and len(text) < 200:
            cases.append(text)
    return cases


def division_cases(count, seed):
    """int / int with operands beyond 2**53, where the quotient must be correctly rounded."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        numerator = rng.randrange(2**53, 2**62) * rng.choice([1, -1])
        denominator = rng.randrange(3, 2 ** rng.randint(2, 62))
        multiplier = rng.randrange(1, 2**12)
        cases.append("(%d + epoch * %d) / (%d - epoch)" % (numerator, multiplier, denominator))
    return cases


def float_bits(value):
    return format(struct.unpack("<Q", struct.pack("<d", value))[0], "016x")


def compile_lambda(expr):
    text = expr if expr.lstrip().startswith("lambda") else "lambda epoch: " + expr
    return eval(text, dict(GLOBALS))


class Unsupported(Exception):
    """A value lrsched cannot represent: an int outside 64 bits or a complex number."""


def checked(value):
    if isinstance(value, complex):
        raise Unsupported()
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
        raise Unsupported()
    return value


BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
COMPARE = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.Eq: operator.eq, ast.NotEq: operator.ne,
}


def step(node, env):
    """Evaluates a syntax tree one operation at a time with Python's own operators,
    raising Unsupported as soon as any intermediate value is out of lrsched's range."""
    if isinstance(node, ast.Expression):
        return step(node.body, env)
    if isinstance(node, ast.Lambda):
        return step(node.body, env)
    if isinstance(node, ast.Constant):
        return checked(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.Attribute):
        return getattr(step(node.value, env), node.attr)
    if isinstance(node, ast.UnaryOp):
        value = step(node.operand, env)
        if isinstance(node.op, ast.USub):
            return checked(-value)
        if isinstance(node.op, ast.UAdd):
            return checked(+value)
        if isinstance(node.op, ast.Not):
            return not value
        raise AssertionError(ast.dump(node))
    if isinstance(node, ast.BinOp):
        left = step(node.left, env)
        right = step(node.right, env)
        return checked(BINARY[type(node.op)](left, right))
    if isinstance(node, ast.BoolOp):
        value = step(node.values[0], env)
        for operand in node.values[1:]:
            if isinstance(node.op, ast.And) and not value:
                return value
            if isinstance(node.op, ast.Or) and value:
                return value
            value = step(operand, env)
        return value
    if isinstance(node, ast.Compare):
        left = step(node.left, env)
        result = True
        for op, comparator in zip(node.ops, node.comparators):
            right = step(comparator, env)
            result = COMPARE[type(op)](left, right)
            if not result:
                return result
            left = right
        return result
    if isinstance(node, ast.IfExp):
        return step(node.body, env) if step(node.test, env) else step(node.orelse, env)
    if isinstance(node, ast.Call):
        function = step(node.func, env)
        arguments = [step(argument, env) for argument in node.args]
        return checked(function(*arguments))
    raise AssertionError("unexpected syntax: " + ast.dump(node))


def outcome(thunk):
    try:
        return ("value", thunk())
    except Unsupported:
        return ("error", "Unsupported")
    except Exception as error:  # the exception class is the expected result
        return ("error", type(error).__name__)


def record(kind, value):
    if kind == "error":
        return {"error": value}
    if isinstance(value, bool):
        return {"int": int(value)}
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            return {"error": "Unsupported"}
        return {"int": value}
    if isinstance(value, float):
        return {"float": repr(value), "bits": float_bits(value)}
    if isinstance(value, complex):
        return {"error": "Unsupported"}
    raise AssertionError("unexpected result type %r" % (value,))


def value_case(expr):
    function = compile_lambda(expr)
    text = expr if expr.lstrip().startswith("lambda") else "lambda epoch: " + expr
    tree = ast.parse(text.strip(), mode="eval")
    parameter = tree.body.args.args[0].arg
    results = []
    for epoch in EPOCHS:
        env = dict(GLOBALS)
        env[parameter] = epoch
        direct = outcome(lambda: function(epoch))
        stepped = outcome(lambda: step(tree, env))
        if stepped == ("error", "Unsupported"):
            results.append({"error": "Unsupported"})
            continue
        same = direct[0] == stepped[0] and (
            direct[1] == stepped[1] if direct[0] == "error" or not isinstance(direct[1], float)
            else float_bits(direct[1]) == float_bits(stepped[1]))
        if not same:
            raise AssertionError("step evaluation disagrees for %r at %d: %r vs %r" % (expr, epoch, direct, stepped))
        results.append(record(*direct))
    return {"expr": expr, "results": results}


def syntax_case(expr, fragment, column, kind, limit=False):
    try:
        function = compile_lambda(expr)
    except SyntaxError as error:
        python = type(error).__name__
    except Exception as error:
        python = type(error).__name__
    else:
        kind_, value = outcome(lambda: function(1))
        if kind_ == "error":
            python = value
        elif isinstance(value, (int, float)):
            python = "ok"
        else:
            python = "ok, not a number: " + type(value).__name__
    if kind != "unsupported" and not limit and python == "ok":
        raise AssertionError("Python accepts %r but it is not marked as a refusal" % expr)
    return {"expr": expr, "message": fragment, "column": column, "kind": kind, "python": python}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "Tests", "SchedulesTests", "Fixtures", "expressions.json")
    path = sys.argv[1] if len(sys.argv) > 1 else default
    cases = VALUE_CASES + division_cases(16, seed=53) + [
        text for text in random_cases(60, seed=20240611) if text not in VALUE_CASES]
    if len(set(cases)) != len(cases):
        raise AssertionError("duplicate value cases")
    document = {
        "generator": "scripts/generate_expression_fixtures.py",
        "python": sys.version.split()[0],
        "epochs": EPOCHS,
        "cases": [value_case(expr) for expr in cases],
        "syntaxErrors": [syntax_case(*case) for case in SYNTAX_CASES],
    }
    # One case per line keeps the file reviewable.
    lines = ["{"]
    lines.append('  "generator": %s,' % json.dumps(document["generator"]))
    lines.append('  "python": %s,' % json.dumps(document["python"]))
    lines.append('  "epochs": %s,' % json.dumps(document["epochs"]))
    lines.append('  "cases": [')
    for index, case in enumerate(document["cases"]):
        comma = "," if index < len(document["cases"]) - 1 else ""
        lines.append("    %s%s" % (json.dumps(case, separators=(",", ":"), ensure_ascii=True), comma))
    lines.append("  ],")
    lines.append('  "syntaxErrors": [')
    for index, case in enumerate(document["syntaxErrors"]):
        comma = "," if index < len(document["syntaxErrors"]) - 1 else ""
        lines.append("    %s%s" % (json.dumps(case, ensure_ascii=True), comma))
    lines.append("  ]")
    lines.append("}")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as output:
        output.write("\n".join(lines) + "\n")
    print("wrote %d value cases x %d epochs and %d syntax cases to %s" % (
        len(document["cases"]), len(EPOCHS), len(document["syntaxErrors"]), path))


if __name__ == "__main__":
    main()

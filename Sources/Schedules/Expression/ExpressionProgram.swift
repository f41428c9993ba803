/// One instruction of the stack machine that evaluates an expression.
enum ExprOpcode: UInt8, Sendable {
    case pushConstant, pushVariable
    case negate, not
    case add, subtract, multiply, trueDivide, floorDivide, modulo, power
    /// Pops two values, pushes the comparison's bool. `subcode` is an `ExprComparison`.
    case compare
    /// Pops `a`, `b`; if `a op b` pushes `b` and continues, else pushes False and jumps to `target`.
    case chainCompare
    /// If the top is falsy jumps to `target` keeping it, else pops it.
    case jumpIfFalseOrPop
    /// If the top is truthy jumps to `target` keeping it, else pops it.
    case jumpIfTrueOrPop
    /// Pops the top and jumps to `target` if it is falsy.
    case popJumpIfFalse
    case jump
    case abs, floor, ceil
    /// `float(x)`, `int(x)`, `round(x)`.
    case toFloat, toInt, round
    /// `subcode` is a `PythonArithmetic.MathFunction`.
    case math
    case logWithBase
    /// Pops `target` values, pushes the smallest / largest by Python's rules.
    case min, max
    case `return`
}

struct ExprInstruction: Sendable {
    var opcode: ExprOpcode
    var subcode: UInt8 = 0
    var column: Int32 = 0
    var target: Int32 = 0
    var constant: PythonNumber = .int(0)
}

/// A compiled expression: a flat instruction array and the stack depth it needs.
struct ExprProgram: Sendable {
    var code: [ExprInstruction] = []
    var maxStack = 0

    /// Compiles a syntax tree into stack-machine code.
    static func compile(_ root: ExprNode) -> ExprProgram {
        var compiler = Compiler()
        compiler.emit(root)
        compiler.append(ExprInstruction(opcode: .return), stackEffect: 0)
        return ExprProgram(code: compiler.code, maxStack: max(compiler.maxStack, 1))
    }

    private struct Compiler {
        var code: [ExprInstruction] = []
        var stack = 0
        var maxStack = 0

        @discardableResult
        mutating func append(_ instruction: ExprInstruction, stackEffect: Int) -> Int {
            code.append(instruction)
            stack += stackEffect
            maxStack = Swift.max(maxStack, stack)
            return code.count - 1
        }

        mutating func emit(
            _ opcode: ExprOpcode,
            _ node: ExprNode,
            stackEffect: Int,
            subcode: UInt8 = 0,
            target: Int = 0
        ) {
            append(
                ExprInstruction(opcode: opcode, subcode: subcode, column: Int32(node.column), target: Int32(target)),
                stackEffect: stackEffect
            )
        }

        mutating func patch(_ index: Int) {
            code[index].target = Int32(code.count)
        }

        mutating func emit(_ node: ExprNode) {
            switch node.kind {
            case .constant(let value):
                append(
                    ExprInstruction(opcode: .pushConstant, column: Int32(node.column), constant: value),
                    stackEffect: 1
                )
            case .variable:
                emit(.pushVariable, node, stackEffect: 1)
            case .negate(let operand):
                emit(operand)
                emit(.negate, node, stackEffect: 0)
            case .positive(let operand):
                // Unary plus is the identity on int and float.
                emit(operand)
            case .not(let operand):
                emit(operand)
                emit(.not, node, stackEffect: 0)
            case .binary(let op, let left, let right):
                emit(left)
                emit(right)
                let opcode: ExprOpcode =
                    switch op {
                    case .add: .add
                    case .subtract: .subtract
                    case .multiply: .multiply
                    case .trueDivide: .trueDivide
                    case .floorDivide: .floorDivide
                    case .modulo: .modulo
                    case .power: .power
                    }
                emit(opcode, node, stackEffect: -1)
            case .and(let left, let right):
                emit(left)
                emit(.jumpIfFalseOrPop, node, stackEffect: -1)
                let jump = code.count - 1
                emit(right)
                patch(jump)
            case .or(let left, let right):
                emit(left)
                emit(.jumpIfTrueOrPop, node, stackEffect: -1)
                let jump = code.count - 1
                emit(right)
                patch(jump)
            case .compare(let first, let rest):
                emit(first)
                var jumps: [Int] = []
                for (index, (comparison, operand, column)) in rest.enumerated() {
                    emit(operand)
                    let isLast = index == rest.count - 1
                    append(
                        ExprInstruction(
                            opcode: isLast ? .compare : .chainCompare,
                            subcode: comparison.rawValue,
                            column: Int32(column)
                        ),
                        stackEffect: -1
                    )
                    if !isLast { jumps.append(code.count - 1) }
                }
                for jump in jumps { patch(jump) }
            case .conditional(let test, let body, let orElse):
                emit(test)
                emit(.popJumpIfFalse, node, stackEffect: -1)
                let toElse = code.count - 1
                emit(body)
                emit(.jump, node, stackEffect: -1)  // the else branch pushes its own value
                let toEnd = code.count - 1
                patch(toElse)
                emit(orElse)
                patch(toEnd)
            case .call(let function, let arguments):
                for argument in arguments { emit(argument) }
                let count = arguments.count
                switch function {
                case .min: emit(.min, node, stackEffect: 1 - count, target: count)
                case .max: emit(.max, node, stackEffect: 1 - count, target: count)
                case .abs: emit(.abs, node, stackEffect: 0)
                case .floor: emit(.floor, node, stackEffect: 0)
                case .ceil: emit(.ceil, node, stackEffect: 0)
                case .float: emit(.toFloat, node, stackEffect: 0)
                case .int: emit(.toInt, node, stackEffect: 0)
                case .round: emit(.round, node, stackEffect: 0)
                case .math(let function):
                    if count == 2 {
                        emit(.logWithBase, node, stackEffect: -1)
                    } else {
                        emit(.math, node, stackEffect: 0, subcode: function.rawValue)
                    }
                }
            }
        }
    }

    /// Runs the program for one value of the variable on a caller-provided stack.
    @inline(__always)
    static func run(
        _ code: UnsafeBufferPointer<ExprInstruction>,
        stack: UnsafeMutablePointer<PythonNumber>,
        variable: Int
    ) throws(ExprRuntimeFault) -> PythonNumber {
        var pc = 0
        var sp = 0
        while true {
            let instruction = code[pc]
            pc += 1
            do {
                switch instruction.opcode {
                case .pushConstant:
                    stack[sp] = instruction.constant
                    sp += 1
                case .pushVariable:
                    stack[sp] = .int(variable)
                    sp += 1
                case .negate:
                    stack[sp - 1] = try PythonArithmetic.negate(stack[sp - 1])
                case .not:
                    stack[sp - 1] = .int(stack[sp - 1].isTruthy ? 0 : 1)
                case .add:
                    sp -= 1
                    stack[sp - 1] = try PythonArithmetic.add(stack[sp - 1], stack[sp])
                case .subtract:
                    sp -= 1
                    stack[sp - 1] = try PythonArithmetic.subtract(stack[sp - 1], stack[sp])
                case .multiply:
                    sp -= 1
                    stack[sp - 1] = try PythonArithmetic.multiply(stack[sp - 1], stack[sp])
                case .trueDivide:
                    sp -= 1
                    stack[sp - 1] = try PythonArithmetic.trueDivide(stack[sp - 1], stack[sp])
                case .floorDivide:
                    sp -= 1
                    stack[sp - 1] = try PythonArithmetic.floorDivide(stack[sp - 1], stack[sp])
                case .modulo:
                    sp -= 1
                    stack[sp - 1] = try PythonArithmetic.modulo(stack[sp - 1], stack[sp])
                case .power:
                    sp -= 1
                    stack[sp - 1] = try PythonArithmetic.power(stack[sp - 1], stack[sp])
                case .compare:
                    sp -= 1
                    let order = PythonArithmetic.compare(stack[sp - 1], stack[sp])
                    let holds = ExprComparison(rawValue: instruction.subcode).unsafelyUnwrapped.holds(order)
                    stack[sp - 1] = .int(holds ? 1 : 0)
                case .chainCompare:
                    sp -= 1
                    let order = PythonArithmetic.compare(stack[sp - 1], stack[sp])
                    if ExprComparison(rawValue: instruction.subcode).unsafelyUnwrapped.holds(order) {
                        stack[sp - 1] = stack[sp]
                    } else {
                        stack[sp - 1] = .int(0)
                        pc = Int(instruction.target)
                    }
                case .jumpIfFalseOrPop:
                    if stack[sp - 1].isTruthy { sp -= 1 } else { pc = Int(instruction.target) }
                case .jumpIfTrueOrPop:
                    if stack[sp - 1].isTruthy { pc = Int(instruction.target) } else { sp -= 1 }
                case .popJumpIfFalse:
                    sp -= 1
                    if !stack[sp].isTruthy { pc = Int(instruction.target) }
                case .jump:
                    pc = Int(instruction.target)
                case .abs:
                    stack[sp - 1] = try PythonArithmetic.absolute(stack[sp - 1])
                case .floor:
                    stack[sp - 1] = try PythonArithmetic.floorOrCeil(stack[sp - 1], ceiling: false)
                case .ceil:
                    stack[sp - 1] = try PythonArithmetic.floorOrCeil(stack[sp - 1], ceiling: true)
                case .toFloat:
                    stack[sp - 1] = .float(stack[sp - 1].doubleValue)
                case .toInt:
                    stack[sp - 1] = try PythonArithmetic.truncate(stack[sp - 1])
                case .round:
                    stack[sp - 1] = try PythonArithmetic.roundHalfEven(stack[sp - 1])
                case .math:
                    let function = PythonArithmetic.MathFunction(rawValue: instruction.subcode).unsafelyUnwrapped
                    stack[sp - 1] = try PythonArithmetic.unaryMath(stack[sp - 1], function)
                case .logWithBase:
                    sp -= 1
                    stack[sp - 1] = try PythonArithmetic.logWithBase(stack[sp - 1], stack[sp])
                case .min, .max:
                    let count = Int(instruction.target)
                    let first = sp - count
                    var best = stack[first]
                    let wanted: PythonArithmetic.ComparisonResult = instruction.opcode == .min ? .less : .greater
                    for index in (first + 1)..<sp where PythonArithmetic.compare(stack[index], best) == wanted {
                        best = stack[index]
                    }
                    sp = first + 1
                    stack[first] = best
                case .return:
                    return stack[0]
                }
            } catch {
                throw ExprRuntimeFault(fault: error, column: Int(instruction.column))
            }
        }
    }
}

/// A runtime fault with the column of the instruction that raised it.
struct ExprRuntimeFault: Error, Sendable {
    var fault: ExprFault
    var column: Int

    var expressionError: ExpressionError {
        ExpressionError(message: fault.message, column: column, kind: fault.kind)
    }
}

/*
 * qbank practice checker: decides whether a typed answer is right.
 *
 * The practice page is a single file opened from disk, so the answer check
 * runs here, in the browser.  It implements the same contract as qbank's
 * Python checker (both are run over tests/data/checker_cases.json):
 *
 *   qbankCheck(checkData, responseText) -> {verdict, message}
 *   verdict: "right" | "close" | "mistake" | "wrong" | "malformed"
 *
 * A component v is matched by x when |x - v| <= max(absolute, relative * |v|).
 * right: every component matches the answer (an expression: at every sample);
 * mistake: not right, but every component matches a modelled mistake (the
 * first one, in list order); close: every component is within close_factor
 * times the bound; otherwise wrong.  A response that cannot be read is
 * malformed, with a one-line reason.
 *
 * Responses are arithmetic, read by a small tokenizer and recursive-descent
 * parser (never eval): numbers (0.665, .5, 6.65e-1), + - * / ^ **, unary
 * minus, parentheses, sqrt exp log ln sin cos tanh sigmoid, pi and e, and a
 * trailing % on a number or on the whole response.
 */
(function (root) {
  "use strict";

  var FUNCTIONS = {
    sqrt: Math.sqrt, exp: Math.exp, log: Math.log, ln: Math.log,
    sin: Math.sin, cos: Math.cos, tanh: Math.tanh,
    sigmoid: function (z) { return 1 / (1 + Math.exp(-z)); }
  };
  var CONSTANTS = { pi: Math.PI, e: Math.E };
  var GROUPED_THOUSANDS = /^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/;  // 0,665 is not 665
  var NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
  var NAME = /^[A-Za-z_][A-Za-z_0-9]*/;
  var DEFAULT_CLOSE_FACTOR = 10;

  /* A response that cannot be read; its message is shown to the student. */
  function Unreadable(message) { this.message = message; }

  function plural(count, word) { return count + " " + word + (count === 1 ? "" : "s"); }

  // ---------------------------------------------------------------- reading

  function tokenize(text, what) {
    var tokens = [], rest = text, match;
    while (rest.length) {
      if ((match = NUMBER.exec(rest))) {
        tokens.push({ type: "number", value: parseFloat(match[0]) });
      } else if ((match = NAME.exec(rest))) {
        tokens.push({ type: "name", value: match[0] });
      } else if (rest.slice(0, 2) === "**") {
        match = ["**"];
        tokens.push({ type: "op", value: "^" });
      } else if ("+-*/^()%".indexOf(rest[0]) >= 0) {
        match = [rest[0]];
        tokens.push({ type: "op", value: rest[0] });
      } else {
        throw new Unreadable("Could not read '" + text + "' as " + what + ".");
      }
      rest = rest.slice(match[0].length);
    }
    return tokens;
  }

  function checkParentheses(text) {
    var depth = 0;
    for (var i = 0; i < text.length; i++) {
      if (text[i] === "(") depth++;
      if (text[i] === ")") depth--;
      if (depth < 0) break;
    }
    if (depth !== 0) throw new Unreadable("Unbalanced parentheses in '" + text + "'.");
  }

  /*
   * Parses one arithmetic expression into a tree of nodes:
   *   sum     := product (("+" | "-") product)*
   *   product := signed (("*" | "/") signed)*
   *   signed  := ("-" | "+") signed | power
   *   power   := primary ("^" signed)?            (right-associative)
   *   primary := number "%"? | constant | variable | function "(" sum ")" | "(" sum ")"
   *   whole   := sum "%"?
   */
  function parse(text, variables, what) {
    checkParentheses(text);
    var tokens = tokenize(text, what), position = 0;
    var cannotRead = function () { return new Unreadable("Could not read '" + text + "' as " + what + "."); };
    var peek = function () { return tokens[position]; };
    var isOp = function (value) { var t = tokens[position]; return t && t.type === "op" && t.value === value; };

    function sum() {
      var node = product();
      while (isOp("+") || isOp("-")) {
        var op = tokens[position++].value;
        node = { kind: "binary", op: op, left: node, right: product() };
      }
      return node;
    }
    function product() {
      var node = signed();
      while (isOp("*") || isOp("/")) {
        var op = tokens[position++].value;
        node = { kind: "binary", op: op, left: node, right: signed() };
      }
      return node;
    }
    function signed() {
      if (isOp("-")) { position++; return { kind: "negate", operand: signed() }; }
      if (isOp("+")) { position++; return signed(); }
      return power();
    }
    function power() {
      var base = primary();
      if (isOp("^")) { position++; return { kind: "binary", op: "^", left: base, right: signed() }; }
      return base;
    }
    function primary() {
      var token = peek();
      if (!token) throw cannotRead();
      position++;
      if (token.type === "number") {
        if (isOp("%")) { position++; return { kind: "number", value: token.value / 100 }; }
        return { kind: "number", value: token.value };
      }
      if (token.type === "name") {
        var name = token.value;
        if (variables.indexOf(name) >= 0) return { kind: "variable", name: name };
        if (Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
          if (!isOp("(")) throw cannotRead();
          position++;
          var argument = sum();
          if (!isOp(")")) throw cannotRead();
          position++;
          return { kind: "call", name: name, argument: argument };
        }
        if (Object.prototype.hasOwnProperty.call(CONSTANTS, name)) return { kind: "number", value: CONSTANTS[name] };
        throw new Unreadable("Unknown name '" + name + "'.");
      }
      if (token.value === "(") {
        var inner = sum();
        if (!isOp(")")) throw cannotRead();
        position++;
        return inner;
      }
      throw cannotRead();
    }

    var tree = sum();
    if (isOp("%") && position === tokens.length - 1) {
      position++;
      tree = { kind: "binary", op: "/", left: tree, right: { kind: "number", value: 100 } };
    }
    if (position !== tokens.length) throw cannotRead();
    return tree;
  }

  function evaluate(node, at) {
    switch (node.kind) {
      case "number": return node.value;
      case "variable": return Object.prototype.hasOwnProperty.call(at, node.name) ? Number(at[node.name]) : NaN;
      case "negate": return -evaluate(node.operand, at);
      case "call": return FUNCTIONS[node.name](evaluate(node.argument, at));
      default: {
        var left = evaluate(node.left, at), right = evaluate(node.right, at);
        if (node.op === "+") return left + right;
        if (node.op === "-") return left - right;
        if (node.op === "*") return left * right;
        if (node.op === "/") return left / right;
        return Math.pow(left, right);
      }
    }
  }

  function readNumber(text) {
    if (text === "") throw new Unreadable("Could not read '' as a number.");
    var value = evaluate(parse(text, [], "a number"), {});
    if (!isFinite(value)) throw new Unreadable("'" + text + "' is not a finite number.");
    return value;
  }

  /* Splits on a separator outside parentheses. */
  function splitTopLevel(text, separator) {
    var parts = [], depth = 0, start = 0;
    for (var i = 0; i < text.length; i++) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")") depth--;
      else if (text[i] === separator && depth === 0) { parts.push(text.slice(start, i)); start = i + 1; }
    }
    parts.push(text.slice(start));
    return parts;
  }

  /* "[a, b]" -> "a, b"; "(a, b)" -> "a, b", but "(a)+(b)" keeps its parentheses. */
  function withoutBrackets(text, allowParentheses) {
    if (text[0] === "[" && text[text.length - 1] === "]") return text.slice(1, -1);
    if (allowParentheses && text[0] === "(" && text[text.length - 1] === ")") {
      var depth = 0;
      for (var i = 0; i < text.length; i++) {
        if (text[i] === "(") depth++;
        if (text[i] === ")") depth--;
        if (depth === 0) return i === text.length - 1 ? text.slice(1, -1) : text;
      }
    }
    return text;
  }

  function readNumbers(text, expected) {
    var inner = withoutBrackets(text, true);
    var parts = inner === "" ? [] : splitTopLevel(inner, ",");
    if (parts.length !== expected) {
      throw new Unreadable("Expected " + plural(expected, "number") + ", got " + parts.length + ".");
    }
    return parts.map(function (part, index) {
      if (part === "") throw new Unreadable("Number " + (index + 1) + " is missing.");
      return readNumber(part);
    });
  }

  function readMatrix(text, shape) {
    var rows = shape[0], columns = shape[1];
    var shapeMessage = "Expected " + plural(rows, "row") + " of " + plural(columns, "number") + ".";
    var lines = splitTopLevel(withoutBrackets(text, false), ";");
    if (lines.length !== rows) throw new Unreadable(shapeMessage);
    return lines.map(function (line) {
      var parts = line === "" ? [] : splitTopLevel(line, ",");
      if (parts.length !== columns) throw new Unreadable(shapeMessage);
      return parts.map(readNumber);
    });
  }

  // -------------------------------------------------------------- comparing

  function flatten(value) {
    if (!Array.isArray(value)) return [Number(value)];
    return value.reduce(function (all, item) { return all.concat(flatten(item)); }, []);
  }

  function bound(tolerance, expected) {
    return Math.max(tolerance.absolute, tolerance.relative * Math.abs(expected));
  }

  /* Every pair within factor * bound(expected). */
  function within(actual, expected, tolerance, factor) {
    if (actual.length !== expected.length) return false;
    for (var i = 0; i < actual.length; i++) {
      if (!(Math.abs(actual[i] - expected[i]) <= factor * bound(tolerance, expected[i]))) return false;
    }
    return true;
  }

  function tolerance(check) {
    var given = check.tolerance || {};
    return { relative: Number(given.relative) || 0, absolute: Number(given.absolute) || 0 };
  }

  /*
   * The verdict of a read response.  ``valuesAgainst(target)`` gives the
   * response's components and the target's, as two flat lists, for the answer
   * (target = check) and for each mistake.
   */
  function grade(check, valuesAgainst) {
    var limits = tolerance(check);
    var closeFactor = check.close_factor === undefined ? DEFAULT_CLOSE_FACTOR : Number(check.close_factor);
    var answer = valuesAgainst(check);
    if (within(answer.actual, answer.expected, limits, 1)) return { verdict: "right", message: "Right." };
    var mistakes = check.mistakes || [];
    for (var i = 0; i < mistakes.length; i++) {
      var slip = valuesAgainst(mistakes[i]);
      if (within(slip.actual, slip.expected, limits, 1)) {
        return { verdict: "mistake", message: "Not quite: this answer " + mistakes[i].explanation + "." };
      }
    }
    if (within(answer.actual, answer.expected, limits, closeFactor)) {
      return { verdict: "close", message: "Close, but outside the tolerance." };
    }
    return { verdict: "wrong", message: "Wrong." };
  }

  function checkValue(check, text) {
    var actual;
    if (check.kind === "number") {
      actual = [GROUPED_THOUSANDS.test(text) ? Number(text.replace(/,/g, "")) : readNumber(text)];
    } else if (check.kind === "vector") {
      actual = readNumbers(text, check.value.length);
    } else {
      actual = flatten(readMatrix(text, [check.value.length, (check.value[0] || []).length]));
    }
    return grade(check, function (target) { return { actual: actual, expected: flatten(target.value) }; });
  }

  function checkExpression(check, text) {
    var variables = check.variables || [];
    var tree = parse(text, variables, "an expression");
    var valuesAt = function (samples) {
      return samples.map(function (sample) {
        var value = evaluate(tree, sample.at || {});
        if (!isFinite(value)) {
          var point = Object.keys(sample.at || {}).map(function (name) { return name + " = " + sample.at[name]; });
          throw new Unreadable("'" + text + "' is not a finite number at " + point.join(", ") + ".");
        }
        return value;
      });
    };
    return grade(check, function (target) {
      var samples = target.samples || [];
      return { actual: valuesAt(samples), expected: samples.map(function (s) { return Number(s.value); }) };
    });
  }

  function checkChoice(check, response) {
    var options = check.options || [];
    var answer = response.trim().toLowerCase();
    var lowered = options.map(function (option) { return String(option).toLowerCase(); });
    var chosen = null;
    if (lowered.indexOf("true") >= 0 && lowered.indexOf("false") >= 0 && /^(t|true|f|false)$/.test(answer)) {
      chosen = options[lowered.indexOf(answer[0] === "t" ? "true" : "false")];
    } else {
      var letter = /^(?:\(([a-z])\)|([a-z])[).]?)$/.exec(answer);
      var index = letter ? lowered.indexOf(letter[1] || letter[2]) : -1;
      if (index >= 0) chosen = options[index];
    }
    if (chosen === null) throw new Unreadable("Answer with one of " + options.join(", ") + ".");
    var same = function (value) { return String(value).toLowerCase() === String(chosen).toLowerCase(); };
    if (same(check.value)) return { verdict: "right", message: "Right." };
    var mistakes = check.mistakes || [];
    for (var i = 0; i < mistakes.length; i++) {
      if (same(mistakes[i].value)) {
        return { verdict: "mistake", message: "Not quite: this answer " + mistakes[i].explanation + "." };
      }
    }
    return { verdict: "wrong", message: "Wrong." };
  }

  /* The public entry point: never throws, whatever the student types or the page holds. */
  function qbankCheck(checkData, responseText) {
    var response = String(responseText === undefined || responseText === null ? "" : responseText)
      .replace(/\u2212/g, "-").replace(/[\u00d7\u00b7]/g, "*");  // as the page prints them: − × ·
    if (!response.trim()) return { verdict: "malformed", message: "Type an answer first." };
    try {
      if (checkData.kind === "choice") return checkChoice(checkData, response);
      var text = response.replace(/\s+/g, "");
      if (checkData.kind === "expression") return checkExpression(checkData, text);
      if (checkData.kind === "number" || checkData.kind === "vector" || checkData.kind === "matrix") {
        return checkValue(checkData, text);
      }
      return { verdict: "malformed", message: "This question cannot be checked here." };
    } catch (error) {
      if (error instanceof Unreadable) return { verdict: "malformed", message: error.message };
      return { verdict: "malformed", message: "Could not check this answer." };
    }
  }

  root.qbankCheck = qbankCheck;
  if (typeof module !== "undefined" && module.exports) module.exports = { qbankCheck: qbankCheck };
})(typeof globalThis !== "undefined" ? globalThis : this);

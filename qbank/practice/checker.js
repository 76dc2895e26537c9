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
 * times the bound; otherwise wrong.  A number, vector or matrix may list
 * "accepted" values (the answer reached with a worked solution's rounded
 * intermediates), each as right as the value, and close near it.  A choice
 * is its letter (or True/False); a matching answer is a letter per numbered
 * item (B, A, C or BAC or 1-B 2-A 3-C), and a wrong one says how many items
 * match.  A response that cannot be read is malformed, with a one-line reason.
 *
 * Responses are arithmetic, read by a small tokenizer and recursive-descent
 * parser (never eval), the grammar of qbank/checker/grammar.py, with the same
 * messages: numbers of the digits 0-9 only (0.665, .5, 6.65e-1; not ٣ or ３),
 * + - * / ^ **, signs, parentheses, sqrt exp log ln sin cos tanh sigmoid, pi
 * and e, and one % after a number or a bracket.  Whitespace anywhere is
 * dropped.  A response of more than MAX_LENGTH characters, or nested deeper
 * than MAX_DEPTH brackets, signs and powers, is refused before it can exhaust
 * the stack (qbank/checker/limits.py).  tests/test_checker_differential.py
 * holds both checkers to the same verdict and message on thousands of
 * generated responses, in this browser's engine.
 */
(function (root) {
  "use strict";

  var FUNCTIONS = {
    sqrt: Math.sqrt, exp: Math.exp, log: Math.log, ln: Math.log,
    sin: Math.sin, cos: Math.cos, tanh: Math.tanh,
    sigmoid: function (z) { return z > -700 ? 1 / (1 + Math.exp(-z)) : 0; }
  };
  var CONSTANTS = { pi: Math.PI, e: Math.E };
  var GROUPED_THOUSANDS = /^-?[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?$/;  // 0,665 is not 665
  var NUMBER = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/;
  var NAME = /^[A-Za-z_][A-Za-z_0-9]*/;
  var WHITESPACE = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
  // The zero of every set of ten decimal digits in Unicode 17, as grammar.py's DIGIT_ZEROS:
  // spelled out, because the browser's \p{Nd} and Python's isdecimal follow different
  // Unicode versions.
  var DIGIT_ZEROS = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450,
    0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0, 0x11C50,
    0x11D50, 0x11DA0, 0x11DE0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950,
    0x1FBF0];
  // b, (b), b), b. -- ASCII letters only, tested before any lowercasing (the Kelvin sign
  // lowercases to k), as in responses.py.
  var LETTER = /^(?:\(([A-Za-z])\)|([A-Za-z])[).]?)$/;
  // Matching: letters in item order, or numbered pairs in any order (responses.py).
  var PAIR = "(?:\\([0-9]+\\)|[0-9]+(?:->|[-:.)=])?)[A-Za-z]";
  var NUMBERED = new RegExp("^" + PAIR + "(?:[,;]?" + PAIR + ")*$");
  var PAIRS = /(?:\(([0-9]+)\)|([0-9]+)(?:->|[-:.)=])?)([A-Za-z])/g;
  var UNNUMBERED = /^[A-Za-z](?:[,;]?[A-Za-z])*$/;
  var MAX_LENGTH = 2000, MAX_DEPTH = 50, SHOWN = 60;
  var TOO_LONG = "Too long (at most " + MAX_LENGTH + " characters).";
  var TOO_DEEP = "Too deeply nested (at most " + MAX_DEPTH + " levels of brackets, signs and powers).";
  var DEFAULT_CLOSE_FACTOR = 10;

  /* A response that cannot be read; its message is shown to the student. */
  function Unreadable(message) { this.message = message; }

  function plural(count, word) { return count + " " + word + (count === 1 ? "" : "s"); }

  /* A decimal digit of any script: the code point at the start of text. */
  function startsWithDigit(text) {
    var code = text.codePointAt(0);
    return DIGIT_ZEROS.some(function (zero) { return code - zero >= 0 && code - zero < 10; });
  }

  /* Characters as Python counts them: code points, not UTF-16 units. */
  function codePoints(text) { return Array.from(text); }

  /* A response as messages quote it, shortened past SHOWN characters. */
  function quoted(text) {
    var chars = codePoints(text);
    return "'" + (chars.length <= SHOWN ? text : chars.slice(0, SHOWN - 1).join("") + "\u2026") + "'";
  }

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
        var digits = startsWithDigit(rest) ? ": use the digits 0-9" : "";
        throw new Unreadable("Could not read " + quoted(text) + " as " + what + digits + ".");
      }
      rest = rest.slice(match[0].length);
    }
    return tokens;
  }

  /* Balanced, and at most MAX_DEPTH deep: checked before any recursion starts. */
  function checkParentheses(text) {
    var depth = 0;
    for (var i = 0; i < text.length; i++) {
      if (text[i] === "(") depth++;
      if (text[i] === ")") depth--;
      if (depth > MAX_DEPTH) throw new Unreadable(TOO_DEEP);
      if (depth < 0) break;
    }
    if (depth !== 0) throw new Unreadable("Unbalanced parentheses in " + quoted(text) + ".");
  }

  /*
   * Parses one arithmetic expression into a tree of nodes:
   *   sum     := product (("+" | "-") product)*
   *   product := signed (("*" | "/") signed)*
   *   signed  := ("-" | "+") signed | power
   *   power   := postfix ("^" signed)?            (right-associative)
   *   postfix := primary "%"?
   *   primary := number | function "(" sum ")" | variable | constant | "(" sum ")"
   */
  function parse(text, variables, what) {
    checkParentheses(text);
    var tokens = tokenize(text, what), position = 0, depth = 0;
    var cannotRead = function () { return new Unreadable("Could not read " + quoted(text) + " as " + what + "."); };
    var peek = function () { return tokens[position]; };
    var isOp = function (value) { var t = tokens[position]; return t && t.type === "op" && t.value === value; };
    var deeper = function () { if (++depth > MAX_DEPTH) throw new Unreadable(TOO_DEEP); };

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
      if (isOp("-") || isOp("+")) {
        var negative = tokens[position++].value === "-";
        deeper();
        var operand = signed();
        depth--;
        return negative ? { kind: "negate", operand: operand } : operand;
      }
      return power();
    }
    function power() {
      var base = postfix();
      if (isOp("^")) {
        position++;
        deeper();
        var exponent = signed();
        depth--;
        return { kind: "binary", op: "^", left: base, right: exponent };
      }
      return base;
    }
    function postfix() {
      var node = primary();
      if (isOp("%")) { position++; return { kind: "percent", operand: node }; }
      return node;
    }
    function bracketed() {
      deeper();
      var inner = sum();
      if (!isOp(")")) throw cannotRead();
      position++;
      depth--;
      return inner;
    }
    function primary() {
      var token = peek();
      if (!token) throw cannotRead();
      position++;
      if (token.type === "number") return { kind: "number", value: token.value };
      if (token.type === "name") {
        var name = token.value;
        if (Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
          if (!isOp("(")) throw cannotRead();
          position++;
          return { kind: "call", name: name, argument: bracketed() };
        }
        if (variables.indexOf(name) >= 0) return { kind: "variable", name: name };
        if (Object.prototype.hasOwnProperty.call(CONSTANTS, name)) return { kind: "number", value: CONSTANTS[name] };
        throw new Unreadable("Unknown name " + quoted(name) + ".");
      }
      if (token.value === "(") return bracketed();
      throw cannotRead();
    }

    if (!tokens.length) throw new Unreadable("Type an answer first.");
    var tree = sum();
    if (position !== tokens.length) throw cannotRead();
    return tree;
  }

  /* A value on the way that is not finite makes the whole one NaN, as in Python:
   * 1/(1/0) and 1/exp(1000) are not 0. */
  function evaluate(node, at) {
    var value = rawValue(node, at);
    if (!isFinite(value)) throw NOT_FINITE;
    return value;
  }
  var NOT_FINITE = {};

  function rawValue(node, at) {
    switch (node.kind) {
      case "number": return node.value;
      case "variable": return Object.prototype.hasOwnProperty.call(at, node.name) ? Number(at[node.name]) : NaN;
      case "negate": return -evaluate(node.operand, at);
      case "percent": return evaluate(node.operand, at) / 100;
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

  /* The value of a tree at the given variables; NaN where arithmetic breaks. */
  function valueAt(tree, at) {
    try {
      return evaluate(tree, at);
    } catch (error) {
      if (error === NOT_FINITE) return NaN;
      throw error;
    }
  }

  function readNumber(text) {
    var value = valueAt(parse(text, [], "a number"), {});
    if (!isFinite(value)) throw new Unreadable(quoted(text) + " is not a finite number.");
    return value;
  }

  /* Splits on a separator outside parentheses; nothing at all is no parts. */
  function splitTopLevel(text, separator) {
    if (text === "") return [];
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

  function readElement(text, name) {
    if (text === "") throw new Unreadable(name + " is missing.");
    return readNumber(text);
  }

  function readNumbers(text, expected) {
    var parts = splitTopLevel(withoutBrackets(text, true), ",");
    if (parts.length !== expected) {
      throw new Unreadable("Expected " + plural(expected, "number") + ", got " + parts.length + ".");
    }
    return parts.map(function (part, index) { return readElement(part, "Number " + (index + 1)); });
  }

  function readMatrix(text, shape) {
    var rows = shape[0], columns = shape[1];
    var lines = splitTopLevel(withoutBrackets(text, false), ";").map(function (line) {
      return splitTopLevel(line, ",");
    });
    var fits = lines.length === rows && lines.every(function (line) { return line.length === columns; });
    if (!fits) throw new Unreadable("Expected " + plural(rows, "row") + " of " + plural(columns, "number") + ".");
    return lines.map(function (line, row) {
      return line.map(function (cell, column) {
        return readElement(cell, "Row " + (row + 1) + ", number " + (column + 1));
      });
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

  /* Every pair within factor * bound(expected); nothing to compare is no match. */
  function within(actual, expected, tolerance, factor) {
    if (!expected.length || actual.length !== expected.length) return false;
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
   * response's components and the target's, as two flat lists, for each of the
   * ``answers`` that are right (the check, and its accepted values) and for
   * each mistake.
   */
  function grade(check, valuesAgainst, answers) {
    var limits = tolerance(check);
    var closeFactor = check.close_factor === undefined ? DEFAULT_CLOSE_FACTOR : Number(check.close_factor);
    var compared = answers.map(valuesAgainst);
    var near = function (factor) {
      return compared.some(function (answer) {
        return within(answer.actual, answer.expected, limits, factor);
      });
    };
    if (near(1)) return { verdict: "right", message: "Right." };
    var mistakes = check.mistakes || [];
    for (var i = 0; i < mistakes.length; i++) {
      var slip = valuesAgainst(mistakes[i]);
      if (within(slip.actual, slip.expected, limits, 1)) return mistaken(mistakes[i]);
    }
    if (near(closeFactor)) return { verdict: "close", message: "Close, but outside the tolerance." };
    return { verdict: "wrong", message: "Wrong." };
  }

  function mistaken(mistake) {
    return { verdict: "mistake", message: "Not quite: this answer " + mistake.explanation + "." };
  }

  function checkValue(check, text) {
    var actual;
    if (check.kind === "number" && GROUPED_THOUSANDS.test(text)) {
      actual = [Number(text.replace(/,/g, ""))];  // too large a one is refused as 1e400 is
      if (!isFinite(actual[0])) throw new Unreadable(quoted(text) + " is not a finite number.");
    } else if (check.kind === "number") {
      actual = [readNumber(text)];
    } else if (check.kind === "vector") {
      actual = readNumbers(text, check.value.length);
    } else {
      actual = flatten(readMatrix(text, [check.value.length, (check.value[0] || []).length]));
    }
    var answers = [check].concat((check.accepted || []).map(function (value) { return { value: value }; }));
    return grade(check, function (target) { return { actual: actual, expected: flatten(target.value) }; },
                 answers);
  }

  function checkExpression(check, text) {
    var variables = check.variables || [];
    var tree = parse(text, variables, "an expression");
    var valuesAt = function (samples) {
      return samples.map(function (sample) {
        var value = valueAt(tree, sample.at || {});
        if (!isFinite(value)) {
          var point = Object.keys(sample.at || {}).map(function (name) { return name + " = " + sample.at[name]; });
          throw new Unreadable(quoted(text) + " is not a finite number at " + point.join(", ") + ".");
        }
        return value;
      });
    };
    return grade(check, function (target) {
      var samples = target.samples || [];
      return { actual: valuesAt(samples), expected: samples.map(function (s) { return Number(s.value); }) };
    }, [check]);
  }

  /* The option picked, as the options spell it, matched without regard to case. */
  function readChoice(text, options) {
    var lowered = options.map(function (option) { return String(option).toLowerCase(); });
    // Without the u flag, /i never folds a non-ASCII letter into an ASCII one.
    if (lowered.indexOf("true") >= 0 && lowered.indexOf("false") >= 0 && /^(?:t|true|f|false)$/i.test(text)) {
      return options[lowered.indexOf(text[0].toLowerCase() === "t" ? "true" : "false")];
    }
    var letter = LETTER.exec(text);
    var index = letter ? lowered.indexOf((letter[1] || letter[2]).toLowerCase()) : -1;
    if (index < 0) throw new Unreadable("Answer with one of " + options.join(", ") + ".");
    return options[index];
  }

  /* A format example for count items: the options in order, repeated if need be. */
  function matchingExample(count, options) {
    var letters = [];
    for (var i = 0; i < count && options.length; i++) letters.push(String(options[i % options.length]));
    return letters.join(", ");
  }

  /* The option picked for each of count items, in item order (responses.matching). */
  function readMatching(text, count, options) {
    var numbers = [], letters = [], match, i;
    if (UNNUMBERED.test(text)) {
      letters = text.replace(/[,;]/g, "").split("");
      for (i = 0; i < letters.length; i++) numbers.push(String(i + 1));
    } else if (NUMBERED.test(text)) {
      PAIRS.lastIndex = 0;
      while ((match = PAIRS.exec(text))) { numbers.push(match[1] || match[2]); letters.push(match[3]); }
    } else {
      throw new Unreadable("Expected " + plural(count, "letter") + ", one per item, e.g. " +
                           matchingExample(count, options) + ".");
    }
    if (letters.length !== count) {
      throw new Unreadable("Expected " + plural(count, "letter") + ", one per item, got " +
                           letters.length + ".");
    }
    var picked = {};
    for (i = 0; i < numbers.length; i++) {
      var item = parseInt(numbers[i], 10);
      if (!(item >= 1 && item <= count)) {
        throw new Unreadable("There is no item " + numbers[i] + " (the items are 1 to " + count + ").");
      }
      if (Object.prototype.hasOwnProperty.call(picked, item)) {
        throw new Unreadable("Item " + item + " is answered twice.");
      }
      picked[item] = letters[i];
    }
    var lowered = options.map(function (option) { return String(option).toLowerCase(); });
    var chosen = [];
    for (item = 1; item <= count; item++) {
      var index = lowered.indexOf(picked[item].toLowerCase());
      if (index < 0) {
        throw new Unreadable("Item " + item + ": answer with one of " + options.join(", ") + ".");
      }
      chosen.push(options[index]);
    }
    return chosen;
  }

  /* Letters match without regard to case; a list matches item by item. */
  function sameLetters(got, value) {
    if (Array.isArray(value)) {
      return Array.isArray(got) && got.length === value.length &&
        value.every(function (item, index) { return sameLetters(got[index], item); });
    }
    return String(got).toLowerCase() === String(value).toLowerCase();
  }

  function checkLetters(check, text) {
    var options = check.options || [];
    var matching = check.kind === "matching";
    var picked = matching ? readMatching(text, check.value.length, options) : readChoice(text, options);
    if (sameLetters(picked, check.value)) return { verdict: "right", message: "Right." };
    var mistakes = check.mistakes || [];
    for (var i = 0; i < mistakes.length; i++) {
      if (sameLetters(picked, mistakes[i].value)) return mistaken(mistakes[i]);
    }
    if (matching) {
      var matched = picked.filter(function (letter, index) {
        return sameLetters(letter, check.value[index]);
      });
      return { verdict: "wrong", message: matched.length + " of " + picked.length + " matched correctly." };
    }
    return { verdict: "wrong", message: "Wrong." };
  }

  /* The public entry point: never throws, whatever the student types or the page holds. */
  function qbankCheck(checkData, responseText) {
    var response = String(responseText === undefined || responseText === null ? "" : responseText);
    // Code points number at least half the UTF-16 units: a huge paste is refused uncounted.
    if (response.length > 2 * MAX_LENGTH || codePoints(response).length > MAX_LENGTH) {
      return { verdict: "malformed", message: TOO_LONG };
    }
    var text = response.replace(WHITESPACE, "")
      .replace(/\u2212/g, "-").replace(/[\u00d7\u00b7]/g, "*");  // as the page prints them: − × ·
    if (!text) return { verdict: "malformed", message: "Type an answer first." };
    try {
      if (checkData.kind === "choice" || checkData.kind === "matching") return checkLetters(checkData, text);
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

#include "core/capture/exported_program/sym_expr.h"

#include <cctype>
#include <vector>

#include "core/util/errors.h"

namespace t2o {
namespace {

struct Term {
  std::string head;  // function name; empty for a literal
  std::string literal;
  std::vector<Term> args;
};

class SreprParser {
 public:
  explicit SreprParser(const std::string& text) : s_(text) {}

  Term Parse() {
    Term t = ParseTerm();
    Skip();
    if (pos_ != s_.size()) Fail();
    return t;
  }

 private:
  void Skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  [[noreturn]] void Fail() const { throw InputError("cannot parse the symbolic expression '" + s_ + "'"); }

  Term ParseTerm() {
    Skip();
    Term t;
    if (pos_ < s_.size() && (s_[pos_] == '\'' || s_[pos_] == '"')) {
      char quote = s_[pos_++];
      size_t end = s_.find(quote, pos_);
      if (end == std::string::npos) Fail();
      t.literal = s_.substr(pos_, end - pos_);
      pos_ = end + 1;
      return t;
    }
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' ||
                                s_[pos_] == '-' || s_[pos_] == '.'))
      ++pos_;
    if (start == pos_) Fail();
    std::string word = s_.substr(start, pos_ - start);
    Skip();
    if (pos_ < s_.size() && s_[pos_] == '=') {  // keyword argument (integer=True): keep its name only
      ++pos_;
      Term value = ParseTerm();
      t.literal = word + "=" + value.literal;
      return t;
    }
    if (pos_ >= s_.size() || s_[pos_] != '(') {
      t.literal = word;
      return t;
    }
    t.head = word;
    ++pos_;
    Skip();
    while (pos_ < s_.size() && s_[pos_] != ')') {
      t.args.push_back(ParseTerm());
      Skip();
      if (pos_ < s_.size() && s_[pos_] == ',') ++pos_;
      Skip();
    }
    if (pos_ >= s_.size()) Fail();
    ++pos_;
    return t;
  }

  const std::string& s_;
  size_t pos_ = 0;
};

std::vector<std::string> Positional(const Term& t);

std::string Print(const Term& t, bool nested) {
  if (t.head.empty()) return t.literal;
  // Each argument is printed once: printing them here and again below doubled the work at
  // every level of nesting (a fuzzer's 300-byte expression took over 10 s).
  if (t.head == "Symbol" || t.head == "Integer" || t.head == "Float" || t.head == "Rational") {
    auto args = Positional(t);
    if (t.head != "Rational") return args.empty() ? "?" : args[0];
    if (args.size() == 2) return args[0] + "/" + args[1];
  }
  auto join = [&](const std::string& sep) {
    std::string out;
    for (size_t k = 0; k < t.args.size(); ++k) {
      if (!t.args[k].head.empty() || !t.args[k].literal.empty())
        if (t.args[k].literal.find('=') != std::string::npos) continue;
      out += (out.empty() ? "" : sep) + Print(t.args[k], true);
    }
    return out;
  };
  if (t.head == "Add") return nested ? "(" + join(" + ") + ")" : join(" + ");
  if (t.head == "Mul") return join("*");
  if (t.head == "FloorDiv" && t.args.size() == 2) return "(" + Print(t.args[0], true) + "//" + Print(t.args[1], true) + ")";
  if (t.head == "Pow" && t.args.size() == 2) return Print(t.args[0], true) + "**" + Print(t.args[1], true);
  return t.head + "(" + join(", ") + ")";
}

std::vector<std::string> Positional(const Term& t) {
  std::vector<std::string> out;
  for (const auto& a : t.args)
    if (!(a.head.empty() && a.literal.find('=') != std::string::npos)) out.push_back(Print(a, true));
  return out;
}

}  // namespace

std::string SymExprToText(const std::string& expr) {
  static const char* kHeads[] = {"Symbol(", "Integer(", "Add(", "Mul(", "FloorDiv(", "Mod(", "Max(", "Min(", "Pow(",
                                 "CeilDiv(", "PythonMod(", "ModularIndexing(", "Rational("};
  bool srepr = false;
  for (const char* h : kHeads) srepr = srepr || expr.rfind(h, 0) == 0;
  if (!srepr) return expr;
  return Print(SreprParser(expr).Parse(), false);
}

bool IsSymbolName(const std::string& text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) return false;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

}  // namespace t2o

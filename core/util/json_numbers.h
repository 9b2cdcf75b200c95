#pragma once
// Integers read from JSON that came from a file or a flag, and the library's errors as text.
//
// nlohmann's get<int64_t>() converts a JSON float with a plain cast: undefined behaviour
// when the value is out of range (1e30, 29223372036854775807 parsed as a double) and a
// silent truncation otherwise (2.5 becomes 2); unsigned values above INT64_MAX wrap to
// negative ones. These accessors accept exact integers only and throw the library's own
// type_error otherwise, so the callers' existing "malformed file" / "bad flag" wrappers
// report them.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace t2o {

template <typename Json>
std::string ShortDump(const Json& j) {
  std::string text = j.dump();
  return text.size() <= 40 ? text : text.substr(0, 37) + "...";
}

template <typename Json>
int64_t ExactInt64(const Json& j) {
  bool fits = j.is_number_integer() &&
              !(j.is_number_unsigned() &&
                j.template get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
  if (!fits) throw Json::type_error::create(302, "expected an integer that fits in 64 bits, got " + ShortDump(j), &j);
  return j.template get<int64_t>();
}

template <typename Json>
int ExactInt(const Json& j) {
  int64_t v = ExactInt64(j);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
    throw Json::type_error::create(302, "expected a small integer, got " + ShortDump(j), &j);
  return static_cast<int>(v);
}

template <typename Json>
std::vector<int64_t> ExactInt64s(const Json& j) {
  if (!j.is_array()) throw Json::type_error::create(302, "expected an array of integers, got " + ShortDump(j), &j);
  std::vector<int64_t> out;
  out.reserve(j.size());
  for (const auto& item : j) out.push_back(ExactInt64(item));
  return out;
}

// The library's message without its "[json.exception.type_error.302] " prefix.
inline std::string JsonErrorText(const nlohmann::json::exception& e) {
  std::string text = e.what();
  if (text.rfind("[json.exception.", 0) == 0)
    if (auto end = text.find("] "); end != std::string::npos) return text.substr(end + 2);
  return text;
}

}  // namespace t2o

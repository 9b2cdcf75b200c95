// Catch2 v2 (Debian 12) and v3 (Debian 13) behind one include.
#pragma once

#include <string>

#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

// A substring matcher under one name (Catch::Contains in v2, ContainsSubstring in v3).
inline auto ContainsText(const std::string& text) {
#if CATCH_VERSION_MAJOR >= 3
  return Catch::Matchers::ContainsSubstring(text);
#else
  return Catch::Contains(text);
#endif
}

// Sampling grids (translators/aten/sampling.cpp).
#include "tests/support/catch.h"

#include "tests/support/harness.h"

using namespace t2o;
using namespace t2o::testing;

TEST_CASE("aten::grid_sampler: every mode, padding mode and align_corners (opset 16)", "[ops][sampling]") {
  // Grid points inside and outside [-1, 1] so that padding modes matter.
  std::vector<float> grid;
  for (int i = 0; i < 2 * 3 * 4 * 2; ++i) grid.push_back(-1.3f + 0.11f * static_cast<float>(i % 25));
  for (int mode : {0, 1, 2})
    for (int padding : {0, 1, 2})
      for (bool align : {false, true}) {
        std::string name = "grid_sample_" + std::to_string(mode) + std::to_string(padding) + (align ? "a" : "");
        std::string body = "torch.grid_sampler(x, y, " + std::to_string(mode) + ", " + std::to_string(padding) + ", " +
                           (align ? "True" : "False") + ")";
        VerifyOptions loose;
        loose.tolerance.atol = 1e-4;
        INFO(body);
        REQUIRE_VERIFIED(RunBody("sampling", name, body, {Shape({2, 3, 5, 6}), FloatData({2, 3, 4, 2}, grid)}, {}, loose));
      }
  auto r = RunBody("sampling", "grid_sample_op15", "torch.grid_sampler(x, y, 0, 0, False)",
                   {Shape({1, 1, 4, 4}), FloatData({1, 2, 2, 2}, std::vector<float>(grid.begin(), grid.begin() + 8))}, {},
                   AtOpset(15));
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("16-19"));
}

TEST_CASE("aten::affine_grid_generator for 3-D grids", "[ops][sampling]") {
  REQUIRE_VERIFIED(RunBody("sampling", "affine_grid_3d", "torch.affine_grid_generator(x, [1, 1, 2, 3, 4], False)", {Shape({1, 3, 4})}));
  REQUIRE_VERIFIED(RunBody("sampling", "affine_grid_3d_align", "torch.affine_grid_generator(x, [2, 3, 3, 2, 5], True)", {Shape({2, 3, 4})}));
}

TEST_CASE("aten::affine_grid_generator with and without align_corners", "[ops][sampling]") {
  REQUIRE_VERIFIED(RunBody("sampling", "affine_grid", "torch.affine_grid_generator(x, [2, 3, 4, 5], False)", {Shape({2, 2, 3})}));
  REQUIRE_VERIFIED(RunBody("sampling", "affine_grid_align", "torch.affine_grid_generator(x, [1, 1, 3, 3], True)", {Shape({1, 2, 3})}));
  REQUIRE_VERIFIED(RunBody("sampling", "affine_then_sample",
                           "return torch.grid_sampler(y, torch.affine_grid_generator(x, [1, 2, 4, 4], False), 0, 0, False)",
                           {Shape({1, 2, 3}), Shape({1, 2, 4, 4})}));
}

TEST_CASE("aten::grid_sampler_2d; volumetric grid_sampler_3d from opset 20, an error naming it below", "[ops][sampling]") {
  std::vector<float> grid;
  for (int i = 0; i < 2 * 3 * 4 * 2; ++i) grid.push_back(-1.2f + 0.13f * static_cast<float>(i % 19));
  REQUIRE_VERIFIED(RunBody("sampling", "grid_sampler_2d", "torch.grid_sampler_2d(x, y, 0, 1, False)",
                           {Shape({2, 3, 5, 6}), FloatData({2, 3, 4, 2}, grid)}));
  std::vector<float> grid3;
  for (int i = 0; i < 1 * 2 * 3 * 2 * 3; ++i) grid3.push_back(-1.1f + 0.17f * static_cast<float>(i % 13));
  for (int mode : {0, 1})
    for (int padding : {0, 1, 2}) {
      std::string body = "torch.grid_sampler_3d(x, y, " + std::to_string(mode) + ", " + std::to_string(padding) + ", False)";
      INFO(body);
      REQUIRE_VERIFIED(RunBody("sampling", "grid_sampler_3d_" + std::to_string(mode) + std::to_string(padding), body,
                               {Shape({1, 2, 3, 4, 4}), FloatData({1, 2, 3, 2, 3}, grid3)}));
    }
  auto r = RunBody("sampling", "grid_sampler_3d_19", "torch.grid_sampler_3d(x, y, 0, 0, False)",
                   {Shape({1, 2, 3, 4, 4}), FloatData({1, 2, 3, 2, 3}, grid3)}, {}, AtOpset(19));
  REQUIRE_FALSE(r.ok);
  CHECK_THAT(r.error, ContainsText("opset 20"));
}

// torchvision::nms and torchvision::roi_align for libtorch: the schemas of
// core/capture/torchvision_schemas.h with CPU kernels written from torchvision's documented
// semantics, so that TorchScript files calling them load, and --verify can run them as the
// reference, without torchvision's library (built for another torch).
#include <ATen/ATen.h>
#include <torch/library.h>

#include <algorithm>
#include <mutex>
#include <cmath>
#include <vector>

#include "core/capture/torchvision_schemas.h"

namespace t2o {
namespace {

// Boxes (x1, y1, x2, y2), greedily in descending score order: a box is kept unless its IoU
// with a kept box is above the threshold. Returns the kept indices, best first.
template <typename T>
at::Tensor NmsKernel(const at::Tensor& dets, const at::Tensor& scores, double iou_threshold) {
  const int64_t n = dets.size(0);
  auto order = std::get<1>(scores.sort(/*stable=*/true, /*dim=*/0, /*descending=*/true));
  const T* box = dets.data_ptr<T>();
  const int64_t* rank = order.data_ptr<int64_t>();
  std::vector<T> area(n);
  for (int64_t i = 0; i < n; ++i) area[i] = (box[4 * i + 2] - box[4 * i]) * (box[4 * i + 3] - box[4 * i + 1]);
  std::vector<char> suppressed(n, 0);
  std::vector<int64_t> keep;
  for (int64_t a = 0; a < n; ++a) {
    int64_t i = rank[a];
    if (suppressed[i]) continue;
    keep.push_back(i);
    for (int64_t b = a + 1; b < n; ++b) {
      int64_t j = rank[b];
      if (suppressed[j]) continue;
      T w = std::max(T(0), std::min(box[4 * i + 2], box[4 * j + 2]) - std::max(box[4 * i], box[4 * j]));
      T h = std::max(T(0), std::min(box[4 * i + 3], box[4 * j + 3]) - std::max(box[4 * i + 1], box[4 * j + 1]));
      T inter = w * h;
      if (inter / (area[i] + area[j] - inter) > iou_threshold) suppressed[j] = 1;
    }
  }
  return at::tensor(keep, at::TensorOptions().dtype(at::kLong));
}

at::Tensor Nms(const at::Tensor& dets, const at::Tensor& scores, double iou_threshold) {
  TORCH_CHECK(dets.dim() == 2 && dets.size(1) == 4, "torchvision::nms: boxes must be [N, 4], got ", dets.sizes());
  TORCH_CHECK(scores.dim() == 1 && scores.size(0) == dets.size(0), "torchvision::nms: scores must be [N]");
  if (dets.numel() == 0) return at::empty({0}, dets.options().dtype(at::kLong));
  auto boxes = dets.is_floating_point() && dets.scalar_type() != at::kDouble ? dets.to(at::kFloat) : dets;
  auto s = scores.to(boxes.scalar_type()).contiguous();
  boxes = boxes.contiguous();
  if (boxes.scalar_type() == at::kDouble) return NmsKernel<double>(boxes, s, iou_threshold);
  return NmsKernel<float>(boxes.to(at::kFloat), s.to(at::kFloat), iou_threshold);
}

template <typename T>
T Bilinear(const T* plane, int64_t height, int64_t width, T y, T x) {
  if (y < -1.0 || y > height || x < -1.0 || x > width) return 0;
  y = std::max<T>(y, 0);
  x = std::max<T>(x, 0);
  int64_t y_low = static_cast<int64_t>(y), x_low = static_cast<int64_t>(x);
  int64_t y_high = y_low + 1, x_high = x_low + 1;
  if (y_low >= height - 1) y_high = y_low = height - 1, y = static_cast<T>(y_low);
  if (x_low >= width - 1) x_high = x_low = width - 1, x = static_cast<T>(x_low);
  T ly = y - y_low, lx = x - x_low, hy = 1 - ly, hx = 1 - lx;
  return hy * hx * plane[y_low * width + x_low] + hy * lx * plane[y_low * width + x_high] +
         ly * hx * plane[y_high * width + x_low] + ly * lx * plane[y_high * width + x_high];
}

// Each RoI (batch index, x1, y1, x2, y2) in input coordinates, scaled by spatial_scale, is
// split into pooled_height x pooled_width bins; a bin averages bilinear samples on a regular
// grid (sampling_ratio per side, or ceil(bin size) when it is <= 0). aligned shifts the box
// by half a pixel; without it a box is at least 1x1.
template <typename T>
at::Tensor RoiAlignKernel(const at::Tensor& input, const at::Tensor& rois, double spatial_scale, int64_t pooled_h,
                          int64_t pooled_w, int64_t sampling_ratio, bool aligned) {
  const int64_t channels = input.size(1), height = input.size(2), width = input.size(3), n = rois.size(0);
  auto out = at::zeros({n, channels, pooled_h, pooled_w}, input.options());
  const T* in = input.data_ptr<T>();
  const T* roi = rois.data_ptr<T>();
  T* dst = out.data_ptr<T>();
  const T offset = aligned ? T(0.5) : T(0);
  for (int64_t r = 0; r < n; ++r) {
    const T* b = roi + 5 * r;
    int64_t batch = static_cast<int64_t>(b[0]);
    T x1 = b[1] * spatial_scale - offset, y1 = b[2] * spatial_scale - offset;
    T roi_w = b[3] * spatial_scale - offset - x1, roi_h = b[4] * spatial_scale - offset - y1;
    if (!aligned) roi_w = std::max<T>(roi_w, 1), roi_h = std::max<T>(roi_h, 1);
    T bin_h = roi_h / pooled_h, bin_w = roi_w / pooled_w;
    int64_t grid_h = sampling_ratio > 0 ? sampling_ratio : static_cast<int64_t>(std::ceil(roi_h / pooled_h));
    int64_t grid_w = sampling_ratio > 0 ? sampling_ratio : static_cast<int64_t>(std::ceil(roi_w / pooled_w));
    T count = std::max<T>(grid_h * grid_w, 1);
    for (int64_t c = 0; c < channels; ++c) {
      const T* plane = in + (batch * channels + c) * height * width;
      for (int64_t ph = 0; ph < pooled_h; ++ph) {
        for (int64_t pw = 0; pw < pooled_w; ++pw) {
          T sum = 0;
          for (int64_t iy = 0; iy < grid_h; ++iy) {
            T y = y1 + ph * bin_h + (iy + T(0.5)) * bin_h / grid_h;
            for (int64_t ix = 0; ix < grid_w; ++ix) {
              T x = x1 + pw * bin_w + (ix + T(0.5)) * bin_w / grid_w;
              sum += Bilinear(plane, height, width, y, x);
            }
          }
          dst[((r * channels + c) * pooled_h + ph) * pooled_w + pw] = sum / count;
        }
      }
    }
  }
  return out;
}

at::Tensor RoiAlign(const at::Tensor& input, const at::Tensor& rois, double spatial_scale, int64_t pooled_height,
                    int64_t pooled_width, int64_t sampling_ratio, bool aligned) {
  TORCH_CHECK(input.dim() == 4, "torchvision::roi_align: input must be [N, C, H, W], got ", input.sizes());
  TORCH_CHECK(rois.dim() == 2 && rois.size(1) == 5, "torchvision::roi_align: rois must be [K, 5], got ", rois.sizes());
  at::ScalarType compute = input.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
  auto x = input.to(compute).contiguous();
  auto boxes = rois.to(compute).contiguous();
  at::Tensor out = compute == at::kDouble
                       ? RoiAlignKernel<double>(x, boxes, spatial_scale, pooled_height, pooled_width, sampling_ratio, aligned)
                       : RoiAlignKernel<float>(x, boxes, spatial_scale, pooled_height, pooled_width, sampling_ratio, aligned);
  return out.to(input.scalar_type());
}

}  // namespace
}  // namespace t2o

namespace t2o {

void RegisterTorchvisionOpsUnlessLoaded() {
  static std::once_flag once;
  std::call_once(once, [] {
    // torchvision's own library, loaded with --load-library, brings its own schemas and
    // kernels; defining ours beside them would be a duplicate registration.
    if (c10::Dispatcher::singleton().findSchema({"torchvision::nms", ""})) return;
    static torch::Library schemas(torch::Library::FRAGMENT, "torchvision", std::nullopt, __FILE__, __LINE__);
    for (const char* schema : kTorchvisionSchemas) schemas.def(schema);
    static torch::Library kernels(torch::Library::IMPL, "torchvision", c10::DispatchKey::CPU, __FILE__, __LINE__);
    kernels.impl("nms", &Nms);
    kernels.impl("roi_align", &RoiAlign);
  });
}

}  // namespace t2o

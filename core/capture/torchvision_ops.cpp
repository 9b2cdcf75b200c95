// torchvision::nms, roi_align, roi_pool and deform_conv2d for libtorch: the schemas of
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

// Max pooling over RoIs snapped to the feature grid (Fast R-CNN): the scaled box corners
// are rounded (half away from zero), a box is at least 1x1, bins span
// [floor(i * bin), ceil((i + 1) * bin)) clipped to the map, an empty bin is 0. argmax is
// the flat index (h * width + w) of each maximum in its plane, -1 for an empty bin.
template <typename T>
std::tuple<at::Tensor, at::Tensor> RoiPoolKernel(const at::Tensor& input, const at::Tensor& rois, double spatial_scale,
                                                 int64_t pooled_h, int64_t pooled_w) {
  const int64_t channels = input.size(1), height = input.size(2), width = input.size(3);
  const int64_t count = rois.size(0);
  at::Tensor out = at::zeros({count, channels, pooled_h, pooled_w}, input.options());
  at::Tensor argmax = at::full({count, channels, pooled_h, pooled_w}, -1, input.options().dtype(at::kInt));
  const T* data = input.data_ptr<T>();
  const T* roi = rois.data_ptr<T>();
  T* dst = out.data_ptr<T>();
  int32_t* where = argmax.data_ptr<int32_t>();
  const T scale = static_cast<T>(spatial_scale);
  for (int64_t r = 0; r < count; ++r) {
    const T* box = roi + r * 5;
    int64_t batch = static_cast<int64_t>(box[0]);
    int start_w = static_cast<int>(std::round(box[1] * scale)), start_h = static_cast<int>(std::round(box[2] * scale));
    int end_w = static_cast<int>(std::round(box[3] * scale)), end_h = static_cast<int>(std::round(box[4] * scale));
    T bin_h = static_cast<T>(std::max(end_h - start_h + 1, 1)) / static_cast<T>(pooled_h);
    T bin_w = static_cast<T>(std::max(end_w - start_w + 1, 1)) / static_cast<T>(pooled_w);
    for (int64_t ph = 0; ph < pooled_h; ++ph) {
      for (int64_t pw = 0; pw < pooled_w; ++pw) {
        auto clip = [](int64_t v, int64_t hi) { return std::min<int64_t>(std::max<int64_t>(v, 0), hi); };
        int64_t h0 = clip(static_cast<int64_t>(std::floor(static_cast<T>(ph) * bin_h)) + start_h, height);
        int64_t h1 = clip(static_cast<int64_t>(std::ceil(static_cast<T>(ph + 1) * bin_h)) + start_h, height);
        int64_t w0 = clip(static_cast<int64_t>(std::floor(static_cast<T>(pw) * bin_w)) + start_w, width);
        int64_t w1 = clip(static_cast<int64_t>(std::ceil(static_cast<T>(pw + 1) * bin_w)) + start_w, width);
        if (h1 <= h0 || w1 <= w0) continue;
        for (int64_t c = 0; c < channels; ++c) {
          const T* plane = data + (batch * channels + c) * height * width;
          int64_t best = h0 * width + w0;
          for (int64_t h = h0; h < h1; ++h)
            for (int64_t w = w0; w < w1; ++w)
              if (plane[h * width + w] > plane[best]) best = h * width + w;
          int64_t at = ((r * channels + c) * pooled_h + ph) * pooled_w + pw;
          dst[at] = plane[best];
          where[at] = static_cast<int32_t>(best);
        }
      }
    }
  }
  return {out, argmax};
}

std::tuple<at::Tensor, at::Tensor> RoiPool(const at::Tensor& input, const at::Tensor& rois, double spatial_scale,
                                           int64_t pooled_height, int64_t pooled_width) {
  TORCH_CHECK(input.dim() == 4, "torchvision::roi_pool: input must be [N, C, H, W], got ", input.sizes());
  TORCH_CHECK(rois.dim() == 2 && rois.size(1) == 5, "torchvision::roi_pool: rois must be [K, 5], got ", rois.sizes());
  at::ScalarType compute = input.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
  auto x = input.to(compute).contiguous();
  auto boxes = rois.to(compute).contiguous();
  auto [out, argmax] = compute == at::kDouble ? RoiPoolKernel<double>(x, boxes, spatial_scale, pooled_height, pooled_width)
                                              : RoiPoolKernel<float>(x, boxes, spatial_scale, pooled_height, pooled_width);
  return {out.to(input.scalar_type()), argmax};
}

// Bilinear sample of a plane for deformable convolution: 0 outside (-1, size) on either
// axis, and corners outside the plane count as 0.
template <typename T>
T DeformSample(const T* plane, int64_t height, int64_t width, T y, T x) {
  if (y <= -1 || y >= height || x <= -1 || x >= width) return 0;
  int64_t y_low = static_cast<int64_t>(std::floor(y)), x_low = static_cast<int64_t>(std::floor(x));
  int64_t y_high = y_low + 1, x_high = x_low + 1;
  T ly = y - y_low, lx = x - x_low, hy = 1 - ly, hx = 1 - lx;
  auto at = [&](int64_t yy, int64_t xx) {
    return yy >= 0 && yy < height && xx >= 0 && xx < width ? plane[yy * width + xx] : T(0);
  };
  return hy * hx * at(y_low, x_low) + hy * lx * at(y_low, x_high) + ly * hx * at(y_high, x_low) +
         ly * lx * at(y_high, x_high);
}

// Deformable convolution v1/v2: each kernel tap of each output position samples the input
// at its regular place plus a learned (dy, dx) offset (one pair per tap and offset group,
// offset channel 2 * tap + {0, 1} of the group's block), weighted by the mask when
// use_mask; the samples form columns that the weight multiplies per group.
template <typename T>
at::Tensor DeformConvKernel(const at::Tensor& input, const at::Tensor& weight, const at::Tensor& offset,
                            const at::Tensor& mask, int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                            int64_t dil_h, int64_t dil_w, int64_t groups, int64_t offset_groups, bool use_mask) {
  const int64_t batch = input.size(0), channels = input.size(1), height = input.size(2), width = input.size(3);
  const int64_t out_channels = weight.size(0), kh = weight.size(2), kw = weight.size(3);
  const int64_t out_h = offset.size(2), out_w = offset.size(3), taps = kh * kw;
  const int64_t per_offset_group = channels / offset_groups;
  at::Tensor out = at::empty({batch, out_channels, out_h, out_w}, input.options());
  at::Tensor columns = at::empty({channels * taps, out_h * out_w}, input.options());
  const T* in = input.data_ptr<T>();
  const T* off = offset.data_ptr<T>();
  const T* msk = use_mask ? mask.data_ptr<T>() : nullptr;
  T* col = columns.data_ptr<T>();
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t c = 0; c < channels; ++c) {
      const T* plane = in + (n * channels + c) * height * width;
      int64_t g = c / per_offset_group;
      for (int64_t t = 0; t < taps; ++t) {
        int64_t i = t / kw, j = t % kw;
        const T* dy = off + ((n * offset_groups + g) * 2 * taps + 2 * t) * out_h * out_w;
        const T* dx = dy + out_h * out_w;
        const T* m = use_mask ? msk + ((n * offset_groups + g) * taps + t) * out_h * out_w : nullptr;
        T* row = col + (c * taps + t) * out_h * out_w;
        for (int64_t oy = 0; oy < out_h; ++oy) {
          for (int64_t ox = 0; ox < out_w; ++ox) {
            int64_t p = oy * out_w + ox;
            T y = static_cast<T>(oy * stride_h - pad_h + i * dil_h) + dy[p];
            T x = static_cast<T>(ox * stride_w - pad_w + j * dil_w) + dx[p];
            T v = DeformSample(plane, height, width, y, x);
            row[p] = m ? v * m[p] : v;
          }
        }
      }
    }
    at::Tensor per_group = columns.view({groups, channels / groups * taps, out_h * out_w});
    at::Tensor w = weight.reshape({groups, out_channels / groups, channels / groups * taps});
    out[n].copy_(at::bmm(w, per_group).view({out_channels, out_h, out_w}));
  }
  return out;
}

at::Tensor DeformConv2d(const at::Tensor& input, const at::Tensor& weight, const at::Tensor& offset,
                        const at::Tensor& mask, const at::Tensor& bias, int64_t stride_h, int64_t stride_w, int64_t pad_h,
                        int64_t pad_w, int64_t dilation_h, int64_t dilation_w, int64_t groups, int64_t offset_groups,
                        bool use_mask) {
  const char* op = "torchvision::deform_conv2d";
  TORCH_CHECK(input.dim() == 4 && weight.dim() == 4 && offset.dim() == 4, op, ": input, weight and offset must be 4-D");
  const int64_t kh = weight.size(2), kw = weight.size(3);
  TORCH_CHECK(groups > 0 && offset_groups > 0 && input.size(1) % groups == 0 && input.size(1) % offset_groups == 0 &&
                  weight.size(0) % groups == 0 && weight.size(1) * groups == input.size(1),
              op, ": channels do not match groups/offset_groups");
  TORCH_CHECK(offset.size(1) == offset_groups * 2 * kh * kw, op, ": offset must have ", offset_groups * 2 * kh * kw,
              " channels, got ", offset.size(1));
  const int64_t out_h = (input.size(2) + 2 * pad_h - (dilation_h * (kh - 1) + 1)) / stride_h + 1;
  const int64_t out_w = (input.size(3) + 2 * pad_w - (dilation_w * (kw - 1) + 1)) / stride_w + 1;
  TORCH_CHECK(offset.size(2) == out_h && offset.size(3) == out_w, op, ": offset must be ", out_h, "x", out_w);
  at::ScalarType compute = input.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
  auto c = [&](const at::Tensor& t) { return t.to(compute).contiguous(); };
  at::Tensor out = compute == at::kDouble
                       ? DeformConvKernel<double>(c(input), c(weight), c(offset), c(mask), stride_h, stride_w, pad_h,
                                                  pad_w, dilation_h, dilation_w, groups, offset_groups, use_mask)
                       : DeformConvKernel<float>(c(input), c(weight), c(offset), c(mask), stride_h, stride_w, pad_h,
                                                 pad_w, dilation_h, dilation_w, groups, offset_groups, use_mask);
  if (bias.defined() && bias.numel() > 0) out = out + c(bias).view({1, -1, 1, 1});
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
    kernels.impl("roi_pool", &RoiPool);
    kernels.impl("deform_conv2d", &DeformConv2d);
  });
}

}  // namespace t2o

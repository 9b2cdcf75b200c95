// The schemas of the torchvision operators the tool understands, as torchvision 0.29
// registers them. TorchScript files and .pt2 programs of detection models call them
// (torchvision::nms, roi_align, roi_pool, deform_conv2d); torchvision's own library is built for
// another torch, so libt2o_torch registers these schemas with its own CPU kernels
// (core/capture/torchvision_ops.cpp), unless a torchvision built for torch 2.13 is loaded
// with --load-library, and the .pt2 reader finds their arguments here.
// No libtorch header.
#pragma once

namespace t2o {

inline constexpr const char* kTorchvisionSchemas[] = {
    "torchvision::nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "torchvision::roi_align(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, "
    "SymInt pooled_width, int sampling_ratio, bool aligned) -> Tensor",
    "torchvision::roi_pool(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, "
    "SymInt pooled_width) -> (Tensor, Tensor)",
    "torchvision::deform_conv2d(Tensor input, Tensor weight, Tensor offset, Tensor mask, Tensor bias, "
    "SymInt stride_h, SymInt stride_w, SymInt pad_h, SymInt pad_w, SymInt dilation_h, SymInt dilation_w, "
    "SymInt groups, SymInt offset_groups, bool use_mask) -> Tensor",
};

// Registers these schemas and their kernels with libtorch once, unless torchvision's own
// library (--load-library) registered torchvision::nms already. In libt2o_torch.so.
void RegisterTorchvisionOpsUnlessLoaded();

}  // namespace t2o

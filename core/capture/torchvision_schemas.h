// The schemas of the torchvision operators the tool understands, as torchvision 0.29
// registers them. TorchScript files and .pt2 programs of detection models call them
// (torchvision::nms, torchvision::roi_align); torchvision's own library is built for
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
};

// Registers these schemas and their kernels with libtorch once, unless torchvision's own
// library (--load-library) registered torchvision::nms already. In libt2o_torch.so.
void RegisterTorchvisionOpsUnlessLoaded();

}  // namespace t2o

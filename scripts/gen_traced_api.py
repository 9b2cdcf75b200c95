"""Traced models, one per documented torch / torch.nn.functional variant that earlier
gaps were found in (interpolate modes, padding modes, reductions with dtype, matrix norms,
indexing ops, recurrent variants, ...). Each is saved with torch.jit.trace (its inputs as
.npy next to it); tests/e2e/traced_api_test.sh converts every one with --verify.

  /usr/bin/python3 scripts/gen_traced_api.py --out DIR
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Wrap(nn.Module):
    def __init__(self, f, mods=None):
        super().__init__()
        self.f = f
        self.m = nn.ModuleList(mods or [])

    def forward(self, *a):
        return self.f(self, *a)


def cases():
    torch.manual_seed(0)
    x4 = torch.randn(2, 3, 8, 8)
    x3 = torch.randn(2, 3, 10)
    x2 = torch.randn(4, 5)
    x5 = torch.randn(1, 2, 4, 6, 6)
    i2 = torch.randint(-5, 6, (4, 5))
    return {
        'fold_pad_dil': (lambda s, x: F.fold(x, (7, 7), 3, dilation=2, padding=1), (torch.randn(1, 18, 25),)),
        'addmm_beta0': (lambda s, x: torch.addmm(x, x, torch.ones(5, 5), beta=0.0, alpha=0.5), (x2,)),
        'interp_area': (lambda s, x: F.interpolate(x, size=(3, 5), mode='area'), (x4,)),
        'interp_nearest_exact': (lambda s, x: F.interpolate(x, scale_factor=1.7, mode='nearest-exact'), (x4,)),
        'interp_recompute': (lambda s, x: F.interpolate(x, scale_factor=1.7, mode='bilinear', recompute_scale_factor=True), (x4,)),
        'interp_trilinear_ac': (lambda s, x: F.interpolate(x, size=(3, 5, 7), mode='trilinear', align_corners=True), (x5,)),
        'interp_linear_scale': (lambda s, x: F.interpolate(x, scale_factor=0.5, mode='linear'), (x3,)),
        'interp_bicubic_ac': (lambda s, x: F.interpolate(x, scale_factor=1.5, mode='bicubic', align_corners=True), (x4,)),
        'pad_reflect3d': (lambda s, x: F.pad(x, (1, 2, 1, 0, 1, 1), mode='reflect'), (x5,)),
        'pad_replicate1d': (lambda s, x: F.pad(x, (2, 3), mode='replicate'), (x3,)),
        'pad_constant_neg': (lambda s, x: F.pad(x, (-1, 2, 0, -2), value=3.0), (x4,)),
        'nonzero': (lambda s, x: torch.nonzero(x > 0), (x2,)),
        'where_single': (lambda s, x: torch.where(x > 0)[1], (x2,)),
        'cumsum_dtype': (lambda s, x: torch.cumsum(x, 1, dtype=torch.float64), (i2,)),
        'sum_dtype': (lambda s, x: torch.sum(x, 1, dtype=torch.float32), (i2,)),
        'prod_dim_dtype': (lambda s, x: torch.prod(x, 0, dtype=torch.float64), (x2,)),
        'var_correction2': (lambda s, x: torch.var(x, 1, correction=2), (x2,)),
        'std_mean': (lambda s, x: torch.std_mean(x, 1)[0] + torch.var_mean(x, 0)[1].sum(), (x2,)),
        'topk_unsorted': (lambda s, x: torch.topk(x, 2, sorted=False)[0].sort(-1)[0], (x2,)),
        'einsum_ellipsis': (lambda s, x: torch.einsum('...ij,...jk->...ik', x, x), (x4,)),
        'einsum_outer': (lambda s, x: torch.einsum('i,j->ij', x[0], x[1]), (x2,)),
        'einsum_sum': (lambda s, x: torch.einsum('bij->', x), (x3,)),
        'cross_default': (lambda s, x: torch.cross(x[:3], x[1:4]), (x2,)),
        'linalg_norm_fro': (lambda s, x: torch.linalg.norm(x), (x2,)),
        'linalg_norm_ord1_mat': (lambda s, x: torch.linalg.norm(x, 1, (0, 1)), (x2,)),
        'linalg_matrix_norm_inf': (lambda s, x: torch.linalg.matrix_norm(x, float('inf')), (x2,)),
        'normalize_inf': (lambda s, x: F.normalize(x, p=float('inf'), dim=1), (x2,)),
        'softmax_dtype': (lambda s, x: F.softmax(x, 1, dtype=torch.float64), (x2,)),
        'log_softmax_dtype': (lambda s, x: F.log_softmax(x, 1, dtype=torch.float64), (x2,)),
        'conv_same_even': (lambda s, x: s.m[0](x), (x4,), [nn.Conv2d(3, 4, 4, padding='same')]),
        'conv1d_same_dil': (lambda s, x: s.m[0](x), (x3,), [nn.Conv1d(3, 2, 3, padding='same', dilation=2)]),
        'conv_same_even_dil': (lambda s, x: s.m[0](x), (x4,), [nn.Conv2d(3, 2, (2, 3), padding='same', dilation=(3, 1))]),
        'avgpool_ceil_pad': (lambda s, x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=True), (torch.randn(1, 2, 6, 6),)),
        'maxpool_ceil_edge': (lambda s, x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True), (torch.randn(1, 2, 6, 6),)),
        'adaptive_none': (lambda s, x: F.adaptive_avg_pool2d(x, (None, 3)), (x4,)),
        'unfold_dil': (lambda s, x: F.unfold(x, 2, dilation=2, padding=1, stride=2), (x4,)),
        'pixel_shuffle_5d': (lambda s, x: F.pixel_shuffle(x, 2), (torch.randn(2, 1, 8, 3, 3),)),
        'lstm_proj': (lambda s, x: s.m[0](x)[0], (torch.randn(5, 2, 4),), [nn.LSTM(4, 6, proj_size=3, num_layers=2)]),
        'lstm_unbatched': (lambda s, x: s.m[0](x)[0], (torch.randn(5, 4),), [nn.LSTM(4, 6, bidirectional=True)]),
        'gru_nobias': (lambda s, x: s.m[0](x)[1], (torch.randn(5, 2, 4),), [nn.GRU(4, 6, bias=False, batch_first=True)]),
        'rnn_dropout_eval': (lambda s, x: s.m[0](x)[0], (torch.randn(5, 2, 4),), [nn.RNN(4, 6, num_layers=2, dropout=0.5)]),
        'embedding_max_norm_free': (lambda s, x: s.m[0](x), (torch.tensor([[1, 2], [0, 3]]),), [nn.Embedding(5, 3, padding_idx=0)]),
        'embedding_bag': (lambda s, x: s.m[0](x), (torch.tensor([[1, 2], [0, 3]]),), [nn.EmbeddingBag(5, 3, mode='mean')]),
        'one_hot_auto': (lambda s, x: F.one_hot(x), (torch.tensor([0, 3, 1]),)),
        'atan2_int': (lambda s, a: torch.atan2(a, a + 1), (i2,)),
        'sign_int': (lambda s, a: torch.sign(a), (i2,)),
        'round_int': (lambda s, a: torch.round(a), (i2,)),
        'fmod_scalar_neg': (lambda s, x: torch.fmod(x * 5, -1.5), (x2,)),
        'remainder_scalar': (lambda s, x: torch.remainder(x * 5, 1.5), (x2,)),
        'floor_divide_float': (lambda s, x: torch.floor_divide(x * 5, 1.5), (x2,)),
        'div_trunc_float': (lambda s, x: torch.div(x * 5, 2, rounding_mode='trunc'), (x2,)),
        'lerp_tensor': (lambda s, x: torch.lerp(x, x * 2, torch.sigmoid(x)), (x2,)),
        'pow_int_scalar_float': (lambda s, a: torch.pow(a, 0.5), (i2.abs(),)),
        'pow_scalar_int': (lambda s, a: torch.pow(2, a.abs()), (i2,)),
        'roll_flat': (lambda s, x: torch.roll(x, 3), (x2,)),
        'flip_neg': (lambda s, x: torch.flip(x, [-1, -3]), (x4,)),
        'unflatten_neg': (lambda s, x: x.unflatten(-1, (2, -1)), (x4,)),
        'tensor_split_idx': (lambda s, x: torch.tensor_split(x, [1, 3], 1)[1], (x2,)),
        'split_sections': (lambda s, x: torch.split(x, [1, 3, 1], 1)[2], (x2,)),
        'chunk_uneven': (lambda s, x: torch.chunk(x, 3, 1)[2], (x2,)),
        'unbind1': (lambda s, x: torch.unbind(x, 1)[2], (x2,)),
        'zeros_int': (lambda s, x: torch.zeros(3, dtype=torch.int32) + x.shape[0], (x2,)),
        'arange_neg_float': (lambda s, x: torch.arange(2.0, -1.0, -0.5) * x[0, 0], (x2,)),
        'linspace_1': (lambda s, x: torch.linspace(3, 5, 1) + x[0], (x2,)),
        'to_copy': (lambda s, x: x.to(torch.float64, copy=True), (x2,)),
        'half_ops': (lambda s, x: (x.half() * 2).float(), (x2,)),
        'bool_sort': (lambda s, x: torch.sort((x > 0).int(), 1)[0], (x2,)),
        'amax_multi': (lambda s, x: torch.amax(x, (1, 3), keepdim=True), (x4,)),
        'logsumexp_multi': (lambda s, x: torch.logsumexp(x, (0, 2)), (x4,)),
        'all_dim': (lambda s, x: torch.all(x > -1, 1), (x2,)),
        'any_dim_keep': (lambda s, x: torch.any(x > 1, 0, keepdim=True), (x2,)),
        'argmin_keep': (lambda s, x: torch.argmin(x, 1, keepdim=True), (x2,)),
        'max_binary': (lambda s, x: torch.max(x, x.flip(0)), (x2,)),
        'masked_scatter': (lambda s, x: x.masked_scatter(x > 0, x * 10), (x2,)),
        'index_add': (lambda s, x: x.index_add(0, torch.tensor([0, 2, 0]), x[:3]), (x2,)),
        'index_fill': (lambda s, x: x.index_fill(1, torch.tensor([0, 3]), -1.0), (x2,)),
        'index_copy': (lambda s, x: x.index_copy(0, torch.tensor([3, 1]), x[:2] * 5), (x2,)),
        'take_along_dim': (lambda s, x: torch.take_along_dim(x, x.argsort(1), 1), (x2,)),
        'cummax': (lambda s, x: torch.cummax(x, 1)[0], (x2,)),
        'clamp_int_tensor': (lambda s, a: torch.clamp(a, min=a.flip(0)), (i2,)),
        'hardtanh_int_bounds': (lambda s, x: F.hardtanh(x, -1, 1), (x2,)),
        'gelu_f64': (lambda s, x: F.gelu(x.double()), (x2,)),
        'softplus_thresh': (lambda s, x: F.softplus(x * 10, 2, 10), (x2,)),
        'glu_neg': (lambda s, x: F.glu(x, -1), (torch.randn(3, 6),)),
        'cosine_similarity': (lambda s, x: F.cosine_similarity(x, x.flip(0), 1), (x2,)),
        'pairwise_distance': (lambda s, x: F.pairwise_distance(x, x.flip(0)), (x2,)),
        'baddbmm_beta': (lambda s, x: torch.baddbmm(x, x, x.transpose(1, 2) @ x, beta=0.5, alpha=2), (x3[:, :, :3],)),
        'matmul_1d_3d': (lambda s, x: torch.matmul(x[0, :, 0], x), (torch.randn(2, 3, 3),)),
        'matmul_3d_1d': (lambda s, x: torch.matmul(x, x[0, 0]), (torch.randn(2, 3, 3),)),
        'sdpa_like_masked': (lambda s, x: torch.softmax((x @ x.transpose(-1, -2)).masked_fill(torch.ones(3, 3, dtype=torch.bool).triu(1), float('-inf')), -1) @ x, (torch.randn(2, 3, 4),)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    models = cases()
    for name, spec in models.items():
        f, args = spec[0], spec[1]
        model = Wrap(f, spec[2] if len(spec) > 2 else None).eval()
        with torch.no_grad():
            traced = torch.jit.trace(model, args, check_trace=False)
        traced.save(os.path.join(out, f"{name}.pt"))
        for k, a in enumerate(args):
            np.save(os.path.join(out, f"{name}.in{k}.npy"), a.numpy())
    print(f"wrote {len(models)} traced models to {out}")


if __name__ == "__main__":
    main()

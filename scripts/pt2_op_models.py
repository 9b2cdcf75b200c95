"""Small models exercising one operator family each, for the .pt2 fixtures
(scripts/gen_pt2_fixtures.py): exported with torch.export and decomposed to core ATen, so
the ExportedProgram path sees the ATen ops that torch.export leaves of these calls.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

sdpa = F.scaled_dot_product_attention
flash_attention_cpu = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu


class Activations(nn.Module):
    def __init__(self):
        super().__init__()
        self.prelu = nn.PReLU(4, 0.2)

    def forward(self, x):
        return (F.relu(x), F.relu6(x * 4), F.leaky_relu(x, 0.1), self.prelu(x), F.rrelu(x, 0.1, 0.3),
                F.elu(x, 0.5), F.selu(x), F.celu(x, 1.5), F.gelu(x), F.gelu(x, approximate="tanh"),
                F.silu(x), F.mish(x), F.hardswish(x * 3), F.hardsigmoid(x * 3), F.hardtanh(x, -0.5, 0.5),
                F.hardshrink(x, 0.3), F.softshrink(x, 0.3), F.tanhshrink(x), F.threshold(x, 0.2, -1.0),
                F.softplus(x, 2.0, 1.0), F.softsign(x), torch.sigmoid(x), torch.tanh(x), F.logsigmoid(x),
                F.glu(x, 1), F.softmax(x, 1), F.log_softmax(x, -1), F.softmin(x, 2))


class ConvPool(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv_groups = nn.Conv2d(4, 6, 3, stride=2, padding=1, dilation=1, groups=2)
        self.conv_dilated = nn.Conv2d(4, 4, 3, padding=2, dilation=2, padding_mode="reflect")
        self.conv_same = nn.Conv2d(4, 2, 3, padding="same", padding_mode="circular")
        self.conv1d = nn.Conv1d(4, 3, 3, padding="valid")
        self.conv3d = nn.Conv3d(4, 2, (1, 3, 3), padding=(0, 1, 1), padding_mode="replicate")
        self.deconv1d = nn.ConvTranspose1d(4, 2, 3, stride=2, output_padding=1)
        self.deconv2d = nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1, groups=2, dilation=1)
        self.deconv3d = nn.ConvTranspose3d(4, 2, (1, 2, 2), stride=(1, 2, 2))

    def forward(self, x):  # x: [2, 4, 9, 9]
        seq = x.flatten(2)
        vol = x.unsqueeze(2)
        pooled, indices = F.max_pool2d(x, 3, 2, 1, return_indices=True)
        return (self.conv_groups(x), self.conv_dilated(x), self.conv_same(x), self.conv1d(seq), self.conv3d(vol),
                self.deconv1d(seq[..., :10]), self.deconv2d(x), self.deconv3d(vol),
                pooled, indices, F.max_pool1d(seq, 4, 3, ceil_mode=True), F.max_pool2d(x, 2, dilation=2),
                F.max_pool3d(vol, (1, 2, 2), ceil_mode=True),
                F.avg_pool1d(seq, 4, 3, 1, ceil_mode=True, count_include_pad=False),
                F.avg_pool2d(x, 3, 2, 1, count_include_pad=True, divisor_override=5), F.avg_pool3d(vol, (1, 3, 3), 2),
                F.adaptive_avg_pool1d(seq, 7), F.adaptive_avg_pool2d(x, (4, 3)), F.adaptive_avg_pool3d(vol, (1, 2, 4)),
                F.adaptive_max_pool1d(seq, 5), F.adaptive_max_pool2d(x, 4), F.adaptive_max_pool3d(vol, (1, 4, 2)),
                F.lp_pool2d(x.abs() + 0.1, 2.0, 3), F.lp_pool1d(seq.abs() + 0.1, 3.0, 4),
                F.unfold(x, 3, padding=1, stride=2), F.fold(F.unfold(x, 2, stride=2), (8, 8), 2, stride=2),
                F.pixel_shuffle(x, 2), F.pixel_unshuffle(x[..., :8, :8], 2), torch.channel_shuffle(x, 2),
                F.interpolate(x, size=(5, 13), mode="nearest"), F.interpolate(seq, scale_factor=1.5, mode="linear"),
                F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=True),
                F.interpolate(x, size=(7, 11), mode="bicubic", align_corners=False),
                F.interpolate(vol, size=(2, 5, 5), mode="trilinear"),
                F.pad(x, (1, 2, 0, 1), "reflect"), F.pad(seq, (2, 3), "replicate"), F.pad(vol, (1, 1, 2, 2, 1, 0)),
                F.pad(x, (2, 1, 1, 2), "circular"), F.pad(x, (1, 1), value=-2.0),
                *F.fractional_max_pool2d(x, (2, 3), output_size=(4, 5), return_indices=True,
                                         _random_samples=torch.sigmoid(x[:, :, 0, :2])),
                F.fractional_max_pool3d(torch.stack([x, x.flip(-1), -x], 2), (2, 2, 3), output_size=(1, 5, 4),
                                        _random_samples=torch.sigmoid(x[:, :, 1, :3])))


class Sampling(nn.Module):
    def forward(self, x, theta):  # x: [2, 4, 9, 9], theta: [2, 2, 3]
        grid = F.affine_grid(theta, [2, 4, 5, 7], align_corners=False)
        return (grid, F.grid_sample(x, grid, "bilinear", "zeros", align_corners=False),
                F.grid_sample(x, grid * 1.2, "nearest", "border", align_corners=True),
                F.grid_sample(x, grid * 1.2, "bilinear", "reflection", align_corners=False))


class Normalization(nn.Module):
    def __init__(self):
        super().__init__()
        self.bn1 = nn.BatchNorm1d(4)
        self.bn2 = nn.BatchNorm2d(4)
        self.bn3 = nn.BatchNorm3d(4)
        self.inorm_stats = nn.InstanceNorm2d(4, affine=True, track_running_stats=True)
        self.inorm = nn.InstanceNorm1d(4)
        self.gn = nn.GroupNorm(2, 4)
        self.ln = nn.LayerNorm([9, 9])
        with torch.no_grad():
            for bn in (self.bn1, self.bn2, self.bn3, self.inorm_stats):
                bn.running_mean.uniform_(-0.5, 0.5)
                bn.running_var.uniform_(0.5, 2.0)
                bn.weight.uniform_(0.5, 1.5)
                bn.bias.uniform_(-0.5, 0.5)

    def forward(self, x):  # x: [2, 4, 9, 9]
        return (self.bn1(x.flatten(2)), self.bn2(x), self.bn3(x.unsqueeze(2)), self.inorm_stats(x),
                self.inorm(x.flatten(2)), self.gn(x), self.ln(x), F.layer_norm(x, [9], eps=1e-3),
                F.local_response_norm(x, 3), F.normalize(x, p=2.0, dim=1), F.normalize(x, p=1.0, dim=-1))


class Linalg(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(9, 5)
        self.fc_nobias = nn.Linear(9, 3, bias=False)

    def forward(self, x, v):  # x: [2, 4, 9, 9], v: [9]
        m = x[0, 0]
        return (self.fc(x), self.fc_nobias(x[0]), torch.matmul(v, v), torch.matmul(m, v), torch.matmul(v, m),
                torch.matmul(x, m), torch.matmul(x, x), torch.matmul(x[0], x), torch.mm(m, m), torch.bmm(x[0], x[1]),
                torch.mv(m, v), torch.addmm(v, m, m, beta=0.5, alpha=2.0), torch.baddbmm(x[0], x[1], x[0], alpha=0.5),
                torch.einsum("bcij,bcjk->bcik", x, x), torch.einsum("ii->i", m), torch.einsum("bcij->bj", x),
                torch.cross(x[..., :3], x[..., 3:6], dim=-1), torch.linalg.cross(x[0, 0, :3, :4], x[0, 1, 3:6, :4], dim=0),
                torch.norm(x), torch.norm(x, 1, dim=1), torch.norm(x, float("inf"), dim=(2, 3)),
                torch.norm(x, "fro", dim=(1, 2), keepdim=True), torch.linalg.vector_norm(x, 3.0, dim=-1),
                torch.linalg.norm(x, dim=(2, 3)), torch.linalg.norm(x, float("inf"), dim=(1, 3)),
                torch.linalg.matrix_norm(x, 1), F.cosine_similarity(x, x.flip(0), 1), F.pairwise_distance(m, m.flip(0), 1.0))


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.mha = nn.MultiheadAttention(16, 4, batch_first=True)
        self.mha_seq_first = nn.MultiheadAttention(16, 2, kdim=8, vdim=12)

    def forward(self, q, k, v, kv):  # q: [2, 4, 5, 8], k, v: [2, 4, 7, 8], kv: [2, 2, 7, 8]
        bool_mask = (torch.arange(7) < 5).expand(5, 7)
        float_mask = torch.arange(35.0).reshape(5, 7) * 0.05
        x = q.transpose(1, 2).reshape(2, 5, 32)[..., :16]
        mem = k.transpose(1, 2).reshape(2, 7, 32)
        pad = torch.arange(7).expand(2, 7) >= 6
        causal = torch.ones(5, 5, dtype=torch.bool).triu(1)
        out, weights = self.mha(x, x, x, attn_mask=causal)
        out_pad, weights_heads = self.mha(x, mem[..., :16], mem[..., 16:], key_padding_mask=pad,
                                          average_attn_weights=False)
        out_seq, _ = self.mha_seq_first(x.transpose(0, 1), mem[..., :8].transpose(0, 1), mem[..., 8:20].transpose(0, 1),
                                        need_weights=False)
        flash, lse = flash_attention_cpu(q, k, v, 0.0, True, scale=0.4)
        return (sdpa(q, k, v), sdpa(q, k, v, bool_mask), sdpa(q, k, v, float_mask, scale=0.2),
                sdpa(q, q, q, is_causal=True), sdpa(q, kv, kv, enable_gqa=True), flash, lse,
                out, weights, out_pad, weights_heads, out_seq)


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(6, 5, num_layers=2, nonlinearity="relu", bidirectional=True)
        self.rnn_tanh = nn.RNN(6, 4, batch_first=True)
        self.lstm = nn.LSTM(6, 5, num_layers=2, batch_first=True, bidirectional=True)
        self.gru = nn.GRU(6, 4, num_layers=2)

    def forward(self, x, h0, c0):  # x: [3, 7, 6] (batch_first for lstm / rnn_tanh), h0, c0: [4, 3, 5]
        seq_first = x.transpose(0, 1)
        out_rnn, h_rnn = self.rnn(seq_first)
        out_tanh, h_tanh = self.rnn_tanh(x)
        out_lstm, (h_lstm, c_lstm) = self.lstm(x, (h0, c0))
        out_gru, h_gru = self.gru(seq_first, h0[:2, :, :4])
        return out_rnn, h_rnn, out_tanh, h_tanh, out_lstm, h_lstm, c_lstm, out_gru, h_gru


class Elementwise(nn.Module):
    def forward(self, x, y, i, j):  # x, y: [3, 4] float, i, j: [3, 4] int64
        pos = x.abs() + 0.5
        unit = torch.tanh(x) * 0.9
        return (x.abs(), -x, +x, x.exp(), x.expm1(), pos.log(), pos.log1p(), pos.log2(), pos.log10(), pos.sqrt(),
                pos.rsqrt(), pos.reciprocal(), x.sin(), x.cos(), unit.tan(), unit.asin(), unit.acos(), x.atan(),
                x.sinh(), x.cosh(), x.tanh(), x.asinh(), (pos + 1).acosh(), unit.atanh(), torch.atan2(x, y),
                torch.pow(pos, y), torch.pow(x, 2), torch.pow(2.0, y), torch.pow(i, 2), x.square(), x.sign(),
                (x * 3).floor(), (x * 3).ceil(), torch.round(x * 3), torch.round(x * 30, decimals=-1), (x * 3).trunc(),
                (x * 3).frac(), x.clamp(-0.5, 0.5), x.clamp(min=y), torch.clamp(x, y - 0.1, y + 0.1),
                torch.maximum(x, y), torch.minimum(x, y), torch.fmod(x * 5, pos), torch.remainder(x * 5, y),
                torch.fmod(i, j), torch.remainder(i, j), torch.floor_divide(i, j), torch.div(x, y, rounding_mode="floor"),
                torch.div(i, j, rounding_mode="trunc"), i / j, torch.erf(x), torch.lgamma(pos),
                torch.logaddexp(x, y), torch.lerp(x, y, 0.3), torch.lerp(x, y, pos / 3), i & j, i | j, i ^ j, ~i,
                i << 2, i >> 1, torch.logical_and(x > 0, y > 0), torch.logical_or(x > 0, y > 0),
                torch.logical_xor(x > 0, y > 0), torch.logical_not(x > 0), x > y, x >= 0.1, x < y, x <= y, x == x,
                i != j, torch.where(x > 0, x, y), torch.where(x > 0, 1.0, -1.0), x.masked_fill(x < 0, 0.25),
                torch.isnan(torch.log(x)), torch.isinf(1 / (x * 3).floor()),
                i * 0.5, i + x, (x > 0) + 2, (x > 0) * 1.5, i.int() + 1, i.int() * x.double())


class Reductions(nn.Module):
    def forward(self, x, i):  # x: [3, 4, 5], i: [3, 4] int64
        values, indices = x.max(1)
        min_values, min_indices = torch.min(x, -1, keepdim=True)
        topv, topi = torch.topk(x, 2, dim=1, largest=False)
        sv, si = torch.sort(x, 2, descending=True)
        return (x.sum(), x.sum((0, 2)), x.sum(1, keepdim=True), i.sum(1), x.mean(-1), x.mean((1, 2), keepdim=True),
                x.prod(1), i.prod(), values, indices, min_values, min_indices, x.max(), x.min(), x.amax((0, 2)),
                x.amin(-1, keepdim=True), x.argmax(), x.argmax(2, keepdim=True), x.argmin(0),
                x.std(1), torch.std(x, 2, correction=0, keepdim=True), torch.var(x, (0, 1)), x.var(unbiased=False),
                torch.logsumexp(x, 1), x.cumsum(2), i.cumsum(0), (x * 0.5 + 1).cumprod(1), (x > -5).all(), (x > 1).any(1),
                (x > -3).all(0), topv, topi, sv, si, torch.argsort(x, 1), torch.cummax(x, 1)[0], torch.cummin(x, 2)[1],
                torch.var_mean(x, 1, correction=0)[1], torch.std_mean(x, (0, 2))[0])


class ShapeIndex(nn.Module):
    def forward(self, x, idx, mask):  # x: [4, 6, 5], idx: [3] int64, mask: [4, 6] bool
        a, b = torch.chunk(x, 2, 1)
        parts = torch.split(x, [1, 2, 3], 1)
        s0, s1, s2 = torch.tensor_split(x, 3, 2)
        u = torch.unbind(x, 0)
        y = x.clone()
        y[1:3, ::2] = 7.0
        y[idx] = y[idx] * 2
        z = x.clone()
        z[mask] = -1.0
        w = x.clone()
        w[:, 2] = x[:, 0] * 3  # select_scatter
        w[-1].copy_(x[0, 0])  # copy (broadcast) + select_scatter
        return (x.view(4, 30), x.reshape(-1, 5), x.flatten(1), x.unflatten(1, (2, 3)), x.unsqueeze(0).squeeze(0),
                x[:, :1].squeeze(1), x.permute(2, 0, 1), x.transpose(0, 2), x[0].t(), x.expand(2, 4, 6, 5),
                x.repeat(1, 2, 1), x.repeat_interleave(2, dim=1), torch.tile(x, (2,)), x.flip(0, 2), x.roll(2, 1),
                x.roll((1, -2), (0, 2)), torch.cat([a, b], 2), torch.stack([a, b], 1), parts[2], s1, s2, u[3],
                x.narrow(1, 2, 3), x.select(2, -1), x[1:, ::2, -3:], x[..., 1::3], x[-1], x.index_select(1, idx),
                torch.gather(x, 2, idx.expand(4, 6, 3)), torch.scatter(x, 1, idx.view(1, 3, 1).expand(4, 3, 5), 0.5),
                torch.scatter_add(x, 2, idx.expand(4, 6, 3), x[..., :3]), x[idx], x[:, idx], x[mask], x[idx, idx],
                y, z, w, torch.masked_select(x, x > 0.5), torch.slice_scatter(x, x[:, :2] * 3, 1, 0, 4, 2),
                torch.diag(x[0]), torch.diag(x[0, 0], 1), x.tril(), x.triu(1), x.contiguous(), x.detach(), x.reshape_as(y),
                x.diagonal(1, 0, 2), x.index_add(1, idx, x[:, :3] * 2), x.index_copy(0, idx, x[:3] + 5),
                x.index_fill(2, idx, -3.0), x.masked_scatter(mask.unsqueeze(-1), x * 10),
                torch.take_along_dim(x, x.argsort(2), 2))


class Creation(nn.Module):
    """Creation, dtype conversion and embedding. (F.one_hot reads its input's values while
    tracing under torch 1.13, and make_fx trips on EmbeddingBag's integer outputs: both are
    covered by the op tests.)"""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(6, 3, padding_idx=0)

    def forward(self, x, i):  # x: [3, 4], i: [3, 4] int64
        e = torch.empty(3, 4)
        e.fill_(2.5)
        return (torch.zeros(2, 3) + 1, torch.ones(3, dtype=torch.int64), torch.full((2, 2), 7.0), e,
                torch.zeros_like(x) + x, torch.ones_like(i), torch.full_like(x, 3.0), torch.empty_like(x).fill_(-1.0),
                x.new_zeros(2, 2) + 1, x.new_ones(3), x.new_full((2,), 4.0), torch.arange(5), torch.arange(1, 4, 0.5),
                torch.arange(10, 0, -3), torch.linspace(0, 1, 5), torch.linspace(-2, 2, 4), torch.eye(3), torch.eye(2, 4),
                x.to(torch.float64), x.to(torch.int32), x.type_as(i), i.type_as(x), x.half(), (x * 4).int(), (x * 4).long(),
                x.bool(), i.float(), i.double(), self.emb(i.abs()))


class Spectral(nn.Module):
    """torch.fft in every direction and normalization, 1-D and n-D, with complex arithmetic
    and views in between; outputs real (abs, view_as_real, irfft)."""

    def forward(self, x, y):  # x: [2, 3, 16], y: [2, 3, 8]
        spec = torch.fft.rfft(x)
        full = torch.fft.fft(x, norm="ortho")
        both = torch.fft.fft2(x + 0.5 * torch.fft.ifft(y, n=16).real.sum(-1, keepdim=True))
        z = torch.complex(x[..., :8], y)
        prod = z * torch.fft.fft(y, norm="forward") - z / (z.conj() + 2)
        return (spec.abs(), torch.view_as_real(full), torch.view_as_real(both.transpose(1, 2)[:, 1:, ::2]),
                torch.fft.irfft(spec, n=16), torch.fft.irfft(spec[..., :5], norm="ortho"),
                torch.fft.irfftn(torch.fft.rfftn(x, dim=(0, 2)), s=(2, 16), dim=(0, 2)),
                torch.view_as_real(prod).flatten(-2), prod.imag,
                torch.fft.rfft(x, norm="forward").real.unsqueeze(1), torch.stft(x.flatten(0, 1), 8, 4, window=torch.hann_window(8),
                                                                               return_complex=True).abs())


aten = torch.ops.aten


class CoreDirect(nn.Module):
    """Core ATen ops that the family models do not reach through the public API (their
    decompositions pick other core ops), called as the ATen overloads themselves."""

    def __init__(self):
        super().__init__()
        self.bag = nn.Parameter(torch.randn(6, 3))
        self.register_buffer("mean", torch.randn(4) * 0.1)
        self.register_buffer("var", torch.rand(4) + 0.5)

    def forward(self, x, i):  # x: [2, 4, 9, 9], i: [3, 4] int64 in [-5, 6)
        m = x[0, 0]
        seq = x.flatten(2)
        vol = x.unsqueeze(2)
        bag, _, _, _ = aten._embedding_bag.default(self.bag, i.abs().flatten(), torch.tensor([0, 2, 7]), False, 1)
        scatter_index = i.abs().clamp(max=3)[:2]
        outputs = (aten._cdist_forward.default(m, x[0, 1], 2.0, None), aten._cdist_forward.default(x[0], x[1, :, :5], 1.0, None),
                aten._cdist_forward.default(m, m[:4], float("inf"), None), aten._cdist_forward.default(m[:3], m, 0.0, None),
                aten._cdist_forward.default(x[1], x[0], 3.0, None),
                aten._pdist_forward.default(m, 2.0), aten._pdist_forward.default(m[:5], 1.0),
                aten._pdist_forward.default(m[:4], float("inf")), aten._pdist_forward.default(m[:6], 0.5),
                bag,
                aten._native_batch_norm_legit.default(x, None, None, self.mean.clone(), self.var.clone(), False, 0.1,
                                                      1e-5)[0],
                aten.adaptive_avg_pool1d.default(seq, [7]), aten.avg_pool1d.default(seq, [4], [3], [1], True, False),
                aten.any.default(x > 2.0), aten.mean.default(x), aten.var.dim(x, [1, 3], False),
                aten.as_strided.default(m, [3, 4], [9, 2], 5),
                aten.as_strided_scatter.default(m, m[:3, :4] * 2, [3, 4], [9, 2], 5),
                aten.bitwise_and.Scalar(i, 6), aten.bitwise_or.Scalar(i, 3), aten.bitwise_xor.Scalar(i, -2),
                aten.div.Scalar(x, 3.0), aten.div.Scalar_mode(x * 4, 3.0, rounding_mode="floor"),
                aten.div.Scalar_mode(x * 4, -3.0, rounding_mode="trunc"), aten.mul.Scalar(x, -1.5), aten.sub.Scalar(x, 0.25),
                aten.col2im.default(aten.im2col.default(x, [2, 2], [1, 1], [0, 0], [2, 2]), [8, 8], [2, 2], [1, 1], [0, 0], [2, 2]),
                aten.nonzero.default(i > 2),
                aten.reflection_pad1d.default(seq, [2, 3]), aten.reflection_pad2d.default(x, [1, 2, 3, 0]),
                aten.reflection_pad3d.default(vol, [1, 1, 2, 0, 0, 0]), aten.replication_pad2d.default(x, [0, 2, 1, 1]),
                aten.replication_pad3d.default(vol, [1, 0, 0, 2, 1, 1]),
                aten.scatter.src(m[:2], 1, scatter_index, m[2:4]), aten.scatter_reduce.two(m[:2], 1, scatter_index, m[2:4], "amax"),
                aten.scatter_reduce.two(m[:2], 1, scatter_index, m[2:4], "mean", include_self=False),
                aten.select_scatter.default(x, x[:, 0] * 2, 1, 2), aten.squeeze.dim(x[:, :1], 1),
                aten.native_dropout.default(x, 0.5, False)[0] * 2,
                aten.empty_strided.default([2, 3], [3, 1]).fill_(2.5) + m[:2, :3])
        # The tracer cannot follow resize_, records fill.Scalar as a full_like call that it
        # then fails to resolve, and freezes .item() values: the op tests script these.
        if torch.jit.is_tracing():
            return outputs
        grown = aten.resize_.default(m.clone(), [10, 10])  # the new elements are uninitialized
        return outputs + (x * aten._local_scalar_dense.default(m.mean()), aten.fill.Scalar(x, 1.5), aten.resize_.default(x.clone(), [3, 5]), (grown + grown.shape[0]).flatten()[:81])


class Losses(nn.Module):
    """The loss functions with every reduction (TorchScript keeps them as ATen ops;
    torch.export decomposes them)."""

    def forward(self, x, y, t):  # x, y: [4, 5]; t: [4] int64 classes in [0, 5)
        w = torch.linspace(0.5, 1.5, 5)
        probs, labels, signs = torch.sigmoid(y), (y > 0).float(), torch.sign(y) + (y == 0).float()
        out = []
        for reduction in ("none", "mean", "sum"):
            out += [F.mse_loss(x, y, reduction=reduction), F.l1_loss(x, y, reduction=reduction),
                    F.smooth_l1_loss(x, y, reduction=reduction, beta=0.5), F.huber_loss(x, y, reduction=reduction, delta=0.7),
                    F.kl_div(F.log_softmax(x, 1), F.softmax(y, 1), reduction=reduction),
                    F.kl_div(F.log_softmax(x, 1), F.log_softmax(y, 1), reduction=reduction, log_target=True),
                    F.poisson_nll_loss(x, y.abs(), reduction=reduction),
                    F.poisson_nll_loss(x.abs() + 0.1, y.abs() * 3, log_input=False, full=True, reduction=reduction),
                    F.binary_cross_entropy(torch.sigmoid(x), probs, weight=w, reduction=reduction),
                    F.binary_cross_entropy_with_logits(x, labels, pos_weight=w, reduction=reduction),
                    F.margin_ranking_loss(x[:, 0], y[:, 0], signs[:, 1], margin=0.2, reduction=reduction),
                    F.cosine_embedding_loss(x, y, signs[:, 0], margin=0.1, reduction=reduction),
                    F.triplet_margin_loss(x, y, x.flip(0), swap=True, reduction=reduction),
                    F.hinge_embedding_loss(x, signs, reduction=reduction), F.soft_margin_loss(x, signs, reduction=reduction),
                    F.multi_margin_loss(x, t, reduction=reduction), F.multi_margin_loss(x, t, p=2, weight=w, reduction=reduction),
                    F.nll_loss(F.log_softmax(x, 1), t, weight=w, reduction=reduction),
                    F.nll_loss(F.log_softmax(x, 1), t, ignore_index=2, reduction=reduction),
                    F.cross_entropy(x, t, reduction=reduction), F.cross_entropy(x, t, weight=w, label_smoothing=0.2, reduction=reduction),
                    F.cross_entropy(x, F.softmax(y, 1), label_smoothing=0.1, reduction=reduction),
                    F.cross_entropy(x.view(2, 2, 5).transpose(1, 2), t.view(2, 2), reduction=reduction)]
        return tuple(out)


class PublicApi(nn.Module):
    """Public torch calls TorchScript keeps as ops of their own (layout helpers, special
    functions, products, cells, nan-aware reductions, searches)."""

    def __init__(self):
        super().__init__()
        self.lstm, self.gru, self.rnn = nn.LSTMCell(4, 5), nn.GRUCell(4, 5), nn.RNNCell(4, 5, nonlinearity="relu")
        self.bilinear = nn.Bilinear(4, 3, 2)

    def forward(self, x, h):  # x: [2, 3, 4], h: [3, 5]
        m, v = x[0, :, :3], x[1, 0, :3]
        nan = torch.log(x)
        return (torch.movedim(x, 0, 2), x.mT, torch.hstack([x, x]), torch.vstack([x[0, 0], x[1]]), torch.dstack([x[0], x[1]]),
                torch.column_stack([x[0, :, 0], x[1]]), torch.atleast_3d(x[0, 0]), torch.fliplr(x), torch.rot90(x, 1, [1, 2]),
                torch.xlogy(torch.relu(x), x.abs() + 0.5), torch.special.entr(x.abs()), torch.erfc(x), torch.sinc(x),
                torch.logit(torch.sigmoid(x), 1e-3), torch.heaviside(x, x[0]), torch.copysign(x, x.flip(0)),
                torch.hypot(x, x.flip(0)), torch.fmax(nan, x), torch.logaddexp2(x, x.flip(0)), torch.rad2deg(x),
                torch.nan_to_num(nan / torch.round(x), 0.0, 100.0, -100.0), torch.isclose(x, x * 1.000001), torch.outer(v, v),
                torch.addmv(v, m.t(), v), torch.addr(m, v, v), torch.kron(m, m[:2, :2]), torch.linalg.matrix_power(m, 3),
                torch.trace(m), torch.linalg.det(m), torch.slogdet(m)[1], self.bilinear(x, x[..., :3]),
                *self.lstm(x[0], (h, h)), self.gru(x[1], h), self.rnn(x[0], h), torch.count_nonzero(torch.relu(x), 1),
                torch.nansum(nan, 1), torch.nanmean(nan), torch.aminmax(x, dim=1)[1],
                torch.bucketize(x, torch.tensor([-1.0, 0.0, 1.0])), torch.searchsorted(torch.sort(x[0], 1)[0], x[1]))


class SpecialFunctions(nn.Module):
    """torch.special's orthogonal polynomials (ends of the interval, trigonometric forms for
    large degrees, the recurrence), Bessel-type functions (both sides of each series), zeta,
    polygamma, erfcx, log_ndtr, airy_ai and the incomplete gamma functions."""

    def forward(self, x, n):  # x: [3, 5] in about (-2, 2), n: [5] int64 degrees
        sp = torch.special
        xs = torch.cat([x, torch.tensor([[1.0, -1.0, 0.0, 0.5, 1.5]])])
        big, positive = xs * 6.0, xs.abs() * 6.0 + 0.05
        return (sp.chebyshev_polynomial_t(xs, n), sp.chebyshev_polynomial_u(xs, n + 5), sp.chebyshev_polynomial_v(xs, 3),
                sp.chebyshev_polynomial_w(xs, n), sp.shifted_chebyshev_polynomial_t(xs, n + 4),
                sp.shifted_chebyshev_polynomial_u(xs, n), sp.shifted_chebyshev_polynomial_v(xs, n),
                sp.shifted_chebyshev_polynomial_w(xs, n + 3), sp.hermite_polynomial_h(xs, n), sp.hermite_polynomial_he(xs, n),
                sp.laguerre_polynomial_l(xs, n), sp.legendre_polynomial_p(xs, n), torch.i0(big), sp.i0e(big), sp.i1(big),
                sp.i1e(big), sp.modified_bessel_i0(big), sp.modified_bessel_i1(big), sp.modified_bessel_k0(positive),
                sp.modified_bessel_k1(positive), sp.scaled_modified_bessel_k0(positive),
                sp.scaled_modified_bessel_k1(positive), sp.spherical_bessel_j0(big), sp.ndtri(torch.sigmoid(xs)),
                sp.bessel_j0(big), sp.bessel_j1(big), sp.bessel_y0(positive), sp.bessel_y1(positive),
                sp.zeta(positive + 1.0, positive - 0.02), sp.zeta(3.0, positive), torch.polygamma(1, xs + 0.37), sp.polygamma(3, positive),
                sp.erfcx(xs * 2.0), sp.log_ndtr(big), sp.airy_ai(big), sp.gammainc(positive, positive.flip(0)),
                torch.igammac(positive * 10.0, positive.flip(1) * 10.0))


class Factorizations(nn.Module):
    """LU with pivoting, solves, triangular solves, Cholesky, inverses, symmetric eigenvalues and
    singular values (norms, rank, condition numbers, pseudoinverses) and Householder QR on static
    4x4 and 4x2 batches."""

    def forward(self, x, y):  # x: [3, 4, 4], y: [3, 4, 2]
        la = torch.linalg
        a = x + torch.eye(4) * 3.0
        spd = x @ x.mT + torch.eye(4)
        lu, pivots = la.lu_factor(x)
        p, l, u = la.lu(x)
        return (lu, pivots, p, l, u, la.solve(a, y), la.solve(a, y[..., 0]), la.solve(a, y.mT, left=False),
                la.lu_solve(*la.lu_factor(a), y), la.solve_triangular(a, y, upper=True),
                la.solve_triangular(a, y.mT, upper=False, left=False), la.cholesky(spd), la.cholesky(spd, upper=True),
                torch.cholesky_inverse(la.cholesky(spd)), la.matrix_power(a, -2), la.tensorinv(a[0].reshape(2, 2, 4), 2),
                la.eigvalsh(spd), la.eigh(spd)[0], la.eigvalsh(x, UPLO="U"), la.svdvals(x), la.svdvals(y.mT),
                la.svd(x, full_matrices=False)[1], la.matrix_norm(x, 2), la.matrix_norm(y, "nuc"),
                la.matrix_rank(x * torch.tensor([1.0, 0.0, 1.0, 1.0])), la.cond(a), la.cond(a, "fro"), la.pinv(y),
                la.pinv(x, hermitian=True), torch.pinverse(y.mT), *la.qr(x), *la.qr(y, mode="complete"),
                la.qr(y.mT, mode="r")[1], *torch.geqrf(y), la.householder_product(*torch.geqrf(y)),
                torch.cholesky(spd), torch.cholesky_solve(y, la.cholesky(spd)), *torch.lu(a),
                torch.lu_solve(y, *torch.lu(a)), *torch.lu_unpack(*torch.lu(a)), torch.triangular_solve(y, a)[0],
                torch.ormqr(*torch.geqrf(x), y, transpose=True), torch.linalg.matrix_exp(x * 0.5))


class ApiTail(nn.Module):
    """The long tail of the public API: pointwise classification, products, flat and
    reducing indexing, named splits, FFT shifts and the copy forms of views."""

    def forward(self, x, y, i):  # x: [2, 3, 4], y: [5, 4], i: int64 [3, 4]
        z = torch.where(x > 1.0, torch.full_like(x, float("inf")), torch.where(x < -1.0, torch.full_like(x, -float("inf")), x))
        w = x.flip(0)
        return (torch.addcmul(x, x, w, value=0.5), torch.addcdiv(x, x, w.abs() + 1.0, value=-2.0), torch.isfinite(z),
                torch.isposinf(z), torch.isneginf(z), torch.sgn(x), torch.angle(x), torch.inner(x, y),
                torch.tensordot(x, w, dims=([1, 2], [1, 2])), torch.vdot(y[0], y[1]), torch.linalg.vecdot(x, w),
                torch.dist(x, w), torch.dist(x, w, 1.5), torch.take(x, i % 24), x.put(i[0] % 24, y[0]),
                x.put(i[1] % 24, y[1], accumulate=True), torch.isin(i, i[0]),
                x.index_reduce(1, torch.tensor([0, 2, 0]), w, "amax", include_self=False),
                x.index_reduce(2, torch.tensor([1, 1, 0, 3]), x * 2.0, "mean"), torch.msort(x), x.sum_to_size(3, 1),
                torch.hsplit(x, [1, 3])[1], torch.vsplit(x, 2)[0], torch.dsplit(x, [1])[1], torch.fft.fftshift(x),
                torch.fft.ifftshift(x, dim=1), torch.narrow_copy(x, 1, 1, 2), torch.trapz(x), torch.linalg.diagonal(x),
                y.H, torch.mvlgamma(x.abs() + 2.0, 3), torch.diagflat(x[0]), torch.diagonal_scatter(x, w.diagonal() * 2.0),
                torch.linalg.vander(y[0]), torch.nonzero_static(x > 0, size=30),
                (torch.nextafter(x, w) - x) * 16777216.0)  # the step, in units of 2^-24


class RandomOps(nn.Module):
    """Random core ATen ops and the public calls that lead to them (values differ from
    PyTorch's by design: --verify compares shapes, dtypes and ranges)."""

    def forward(self, x):  # x: [16, 24], enough draws that the range checks of dropout and bernoulli are not flaky
        return (aten.rand.default([64, 8]), aten.randn.default([4, 16]) * 2 + 1, aten.randperm.default(10),
                torch.rand_like(x), torch.randint(2, 9, (5, 6)), torch.bernoulli(torch.sigmoid(x)),
                F.dropout(x, 0.5, training=True), torch.normal(x, 0.5), torch.multinomial(x.abs() + 0.1, 3),
                x * 2)


class CoreSymbolic(nn.Module):
    """Size and stride queries torch.export leaves as nodes with dynamic dims."""

    def forward(self, x):  # x: [4, 5, 3], all three dims dynamic
        return x.reshape(-1) * x.stride(0) + x.transpose(0, 1).stride(1), x[1:].reshape(-1) * x[1:].storage_offset()


class Statistics(nn.Module):
    """Order statistics, histograms, cumulative and quantization ops, and the public calls
    added with them (block_diag, cartesian_prod, renorm, frexp, polar, inverse, unpooling)."""

    def forward(self, x, i, z):  # x: [3, 6]; i: [10] int64 in [0, 5); z: [1, 2, 4, 4]
        with_nan = torch.where(x > 1, torch.full_like(x, float("nan")), x)
        # No -1 (end of targets) in a row: torch 2.13's decomposition of multilabel_margin_loss
        # also counts the slots after it; the op tests cover -1 (tests/ops/loss_test.cpp).
        targets = torch.tensor([[3, 0, 1, 1, 1, 1], [5, 5, 5, 5, 5, 5], [0, 2, 2, 2, 2, 2]])
        pooled, indices = F.max_pool2d(z, 2, return_indices=True)
        mantissa, exponent = torch.frexp(x)
        out = (*torch.kthvalue(x, 2, 1), torch.median(x), *torch.median(x, 1), *torch.nanmedian(with_nan, 1),
               *torch.mode(torch.round(x), 1), torch.quantile(x, 0.3, 1, interpolation="midpoint"),
               torch.quantile(x, torch.tensor([0.1, 0.5, 0.9]), 0, keepdim=True),
               torch.nan_to_num(torch.nanquantile(with_nan, 0.75, 1), 7.0), torch.histc(x, 8, -2, 2),
               torch.logcumsumexp(x, 1), torch.cumulative_trapezoid(x, dim=1), torch.trapezoid(x, dx=0.5),
               torch.renorm(x, 2, 0, 1.0), torch.block_diag(x, x[:2, :3]), torch.cartesian_prod(x[0], x[1, :3]),
               torch.diag_embed(x, 1), mantissa, exponent, torch.view_as_real(torch.polar(x.abs(), x)),
               torch.linalg.inv(x[:, :3] + 3 * torch.eye(3)),
               torch.fake_quantize_per_tensor_affine(x, 0.1, 3, -128, 127),
               torch.fake_quantize_per_channel_affine(x, torch.tensor([0.05, 0.1, 0.2]), torch.tensor([0, 3, -2], dtype=torch.int32), 0, -128, 127),
               F.multilabel_margin_loss(x, targets), torch.ops.aten.max_unpool2d(pooled, indices, [4, 4]))
        if torch.jit.is_tracing():  # data-dependent (bincount) or not exportable (cov: aten.equal on weights)
            out += (torch.cov(x), torch.cov(x, correction=0, aweights=x[0].abs()), torch.corrcoef(x),
                    torch.bincount(i, minlength=3), torch.bincount(i, x[0, :5].repeat(2)))
        return out


def _inputs(*shapes, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(s, generator=gen) for s in shapes)


def build_activations():
    return Activations().eval(), _inputs((2, 4, 6))


def build_conv_pool():
    return ConvPool().eval(), _inputs((2, 4, 9, 9))


def build_sampling():
    theta = torch.tensor([[[0.9, 0.2, 0.1], [-0.1, 1.1, 0.0]], [[1.0, -0.3, 0.2], [0.25, 0.8, -0.1]]])
    return Sampling().eval(), _inputs((2, 4, 9, 9)) + (theta,)


def build_normalization():
    return Normalization().eval(), _inputs((2, 4, 9, 9))


def build_linalg():
    return Linalg().eval(), _inputs((2, 4, 9, 9), (9,))


def build_attention():
    return Attention().eval(), _inputs((2, 4, 5, 8), (2, 4, 7, 8), (2, 4, 7, 8), (2, 2, 7, 8))


def build_recurrent():
    return Recurrent().eval(), _inputs((3, 7, 6), (4, 3, 5), (4, 3, 5))


def _ints(shape, low, high, seed):
    return torch.randint(low, high, shape, generator=torch.Generator().manual_seed(seed))


def build_elementwise():
    j = _ints((3, 4), 1, 7, 2) * torch.tensor([1, -1, 1, -1])
    return Elementwise().eval(), _inputs((3, 4), (3, 4)) + (_ints((3, 4), -20, 20, 1), j)


def build_reductions():
    return Reductions().eval(), _inputs((3, 4, 5)) + (_ints((3, 4), -5, 6, 3),)


def build_shape_index():
    x, = _inputs((4, 6, 5))
    return ShapeIndex().eval(), (x, torch.tensor([2, 0, 3]), x[..., 0] > 0)


def build_spectral():
    return Spectral().eval(), _inputs((2, 3, 16), (2, 3, 8))


def build_core_direct():
    return CoreDirect().eval(), _inputs((2, 4, 9, 9)) + (_ints((3, 4), -5, 6, 5),)


def build_core_symbolic():
    return CoreSymbolic().eval(), _inputs((4, 5, 3))


def build_losses():
    return Losses().eval(), _inputs((4, 5), (4, 5)) + (torch.tensor([1, 0, 4, 2]),)


def build_public_api():
    return PublicApi().eval(), _inputs((2, 3, 4), (3, 5))


def build_random():
    return RandomOps().eval(), _inputs((16, 24))


def core_symbolic_dims(args):
    return ({0: torch.export.Dim("a", min=3), 1: torch.export.Dim("b"), 2: torch.export.Dim("c")},)


def build_statistics():
    return Statistics().eval(), _inputs((3, 6)) + (_ints((10,), 0, 5, 6),) + _inputs((1, 2, 4, 4), seed=7)


def build_special():
    return SpecialFunctions().eval(), _inputs((3, 5)) + (torch.tensor([0, 1, 2, 7, 10]),)


def build_factorizations():
    return Factorizations().eval(), _inputs((3, 4, 4), (3, 4, 2))


def build_api_tail():
    return ApiTail().eval(), _inputs((2, 3, 4), (5, 4)) + (_ints((3, 4), -5, 6, 8),)


def build_creation():
    return Creation().eval(), _inputs((3, 4)) + (_ints((3, 4), -5, 6, 4),)


# name -> (build, forward argument names)
OP_MODELS = {
    "ops_activation": (build_activations, ["x"]),
    "ops_conv_pool": (build_conv_pool, ["x"]),
    "ops_sampling": (build_sampling, ["x", "theta"]),
    "ops_normalization": (build_normalization, ["x"]),
    "ops_linalg": (build_linalg, ["x", "v"]),
    "ops_attention": (build_attention, ["q", "k", "v", "kv"]),
    "ops_recurrent": (build_recurrent, ["x", "h0", "c0"]),
    "ops_elementwise": (build_elementwise, ["x", "y", "i", "j"]),
    "ops_reduction": (build_reductions, ["x", "i"]),
    "ops_shape_index": (build_shape_index, ["x", "idx", "mask"]),
    "ops_creation": (build_creation, ["x", "i"]),
    "ops_spectral": (build_spectral, ["x", "y"]),
    "ops_core": (build_core_direct, ["x", "i"]),
    "ops_loss": (build_losses, ["x", "y", "t"]),
    "ops_public": (build_public_api, ["x", "h"]),
    "ops_statistics": (build_statistics, ["x", "i", "z"]),
    "ops_api_tail": (build_api_tail, ["x", "y", "i"]),
    "ops_special": (build_special, ["x", "n"]),
    "ops_factor": (build_factorizations, ["x", "y"]),
}

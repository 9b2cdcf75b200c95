"""Probes which element types ONNX Runtime's CPU provider (the pinned onnxruntime) has kernels
for, for the ONNX ops torch2onnx writes, and prints core/translate/ort_kernel_types.inc: the
table the ONNX Runtime legalization pass (core/translate/ort_legalize.cpp) widens by.

  gen_ort_kernels.py [--check FILE]    (--check: fail when FILE differs)

Each op is run as a one-node model at opset 20 on small inputs of every type ("Op@add": with
that reduction attribute, which has kernels of its own); a type counts
when the session builds and runs ("Could not find an implementation" is a missing kernel).
"""
import argparse
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

TYPES = {"float16": (TensorProto.FLOAT16, np.float16), "float32": (TensorProto.FLOAT, np.float32),
         "float64": (TensorProto.DOUBLE, np.float64), "int8": (TensorProto.INT8, np.int8),
         "int16": (TensorProto.INT16, np.int16), "int32": (TensorProto.INT32, np.int32),
         "int64": (TensorProto.INT64, np.int64), "uint8": (TensorProto.UINT8, np.uint8),
         "bool": (TensorProto.BOOL, np.bool_)}
DTYPE_NAMES = {"float16": "DType::kFloat16", "float32": "DType::kFloat32", "float64": "DType::kFloat64",
               "int8": "DType::kInt8", "int16": "DType::kInt16", "int32": "DType::kInt32", "int64": "DType::kInt64",
               "uint8": "DType::kUInt8", "bool": "DType::kBool"}
# Which outputs have the probed type: the first (default), every one, or none (bool or
# int64 results).
TYPED_OUTPUTS = {**{op: "kNoOutput" for op in ("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "IsNaN",
                                                "IsInf", "ArgMax", "ArgMin", "NonZero")},
                 "Split": "kEveryOutput"}
# bfloat16 has almost no CPU kernels; the verifier runs bfloat16 models as float32 twins.

X = lambda a: ("T", a)  # an input of the probed type
F = lambda a: ("fixed", a)  # an input of a fixed type (indices, shapes, conditions)

# op -> (inputs, attributes, which outputs have the probed type)
PROBES = {
    "Abs": ([X([[1, 2]])], {}), "Neg": ([X([[1, 2]])], {}), "Sign": ([X([[1, 2]])], {}),
    "Relu": ([X([[1, 2]])], {}), "Sqrt": ([X([[1, 2]])], {}), "Exp": ([X([[1, 2]])], {}), "Log": ([X([[1, 2]])], {}),
    "Floor": ([X([[1, 2]])], {}), "Ceil": ([X([[1, 2]])], {}), "Round": ([X([[1, 2]])], {}),
    "Reciprocal": ([X([[1, 2]])], {}), "Sin": ([X([[1, 2]])], {}), "Cos": ([X([[1, 2]])], {}),
    "Tanh": ([X([[1, 2]])], {}), "Sigmoid": ([X([[1, 2]])], {}), "Erf": ([X([[1, 2]])], {}),
    "IsNaN": ([X([[1, 2]])], {}), "IsInf": ([X([[1, 2]])], {}), "Not": ([X([[1, 0]])], {}),
    "Add": ([X([[1, 2]]), X([[3, 1]])], {}), "Sub": ([X([[1, 2]]), X([[3, 1]])], {}),
    "Mul": ([X([[1, 2]]), X([[3, 1]])], {}), "Div": ([X([[4, 2]]), X([[2, 1]])], {}),
    "Mod": ([X([[4, 3]]), X([[3, 2]])], {}), "Pow": ([X([[2, 3]]), X([[2, 1]])], {}),
    "Min": ([X([[1, 2]]), X([[3, 1]])], {}), "Max": ([X([[1, 2]]), X([[3, 1]])], {}),
    "Sum": ([X([[1, 2]]), X([[3, 1]])], {}), "Mean": ([X([[1, 2]]), X([[3, 1]])], {}),
    "Equal": ([X([[1, 2]]), X([[1, 1]])], {}), "Less": ([X([[1, 2]]), X([[1, 1]])], {}),
    "Greater": ([X([[1, 2]]), X([[1, 1]])], {}), "LessOrEqual": ([X([[1, 2]]), X([[1, 1]])], {}),
    "GreaterOrEqual": ([X([[1, 2]]), X([[1, 1]])], {}),
    "And": ([X([[1, 0]]), X([[1, 1]])], {}), "Or": ([X([[1, 0]]), X([[1, 1]])], {}), "Xor": ([X([[1, 0]]), X([[1, 1]])], {}),
    "BitwiseAnd": ([X([[1, 2]]), X([[3, 1]])], {}), "BitwiseOr": ([X([[1, 2]]), X([[3, 1]])], {}),
    "BitwiseXor": ([X([[1, 2]]), X([[3, 1]])], {}), "BitwiseNot": ([X([[1, 2]])], {}),
    "Where": ([F(np.array([[True, False]])), X([[1, 2]]), X([[3, 4]])], {}),
    "Clip": ([X([[1, 5]]), X(0), X(3)], {}),
    "MatMul": ([X([[1, 2], [3, 4]]), X([[1, 0], [0, 1]])], {}),
    "Trilu": ([X([[1, 2], [3, 4]])], {}),
    "CumSum": ([X([[1, 2], [3, 4]]), F(np.array(1, np.int64))], {}),
    "ReduceSum": ([X([[1, 2], [3, 4]]), F(np.array([1], np.int64))], {}),
    "ReduceMax": ([X([[1, 2], [3, 4]]), F(np.array([1], np.int64))], {}),
    "ReduceMin": ([X([[1, 2], [3, 4]]), F(np.array([1], np.int64))], {}),
    "ReduceProd": ([X([[1, 2], [3, 4]]), F(np.array([1], np.int64))], {}),
    "ReduceMean": ([X([[1, 2], [3, 4]]), F(np.array([1], np.int64))], {}),
    "ReduceL1": ([X([[1, 2], [3, 4]]), F(np.array([1], np.int64))], {}),
    "ReduceL2": ([X([[1, 2], [3, 4]]), F(np.array([1], np.int64))], {}),
    "ReduceLogSumExp": ([X([[1, 2], [3, 4]]), F(np.array([1], np.int64))], {}),
    "ArgMax": ([X([[1, 2], [3, 4]])], {"axis": 1}), "ArgMin": ([X([[1, 2], [3, 4]])], {"axis": 1}),
    "TopK": ([X([[1, 2], [3, 4]]), F(np.array([1], np.int64))], {"axis": 1}),
    "NonZero": ([X([[1, 0], [3, 4]])], {}),
    "Gather": ([X([[1, 2], [3, 4]]), F(np.array([1, 0], np.int64))], {"axis": 0}),
    "GatherElements": ([X([[1, 2], [3, 4]]), F(np.array([[1, 0], [0, 0]], np.int64))], {"axis": 0}),
    "GatherND": ([X([[1, 2], [3, 4]]), F(np.array([[1, 0]], np.int64))], {}),
    "ScatterElements": ([X([[1, 2], [3, 4]]), F(np.array([[1, 0]], np.int64)), X([[5, 6]])], {"axis": 0}),
    "ScatterND": ([X([[1, 2], [3, 4]]), F(np.array([[1]], np.int64)), X([[5, 6]])], {}),
    "Expand": ([X([[1, 2]]), F(np.array([2, 2], np.int64))], {}),
    "Tile": ([X([[1, 2]]), F(np.array([2, 1], np.int64))], {}),
    "Pad": ([X([[1, 2]]), F(np.array([0, 1, 0, 1], np.int64)), X(0)], {}),
    "Concat": ([X([[1, 2]]), X([[3, 4]])], {"axis": 0}),
    "Slice": ([X([[1, 2, 3]]), F(np.array([1], np.int64)), F(np.array([3], np.int64)), F(np.array([1], np.int64))], {}),
    "Transpose": ([X([[1, 2]])], {}), "Identity": ([X([[1, 2]])], {}),
    "Reshape": ([X([[1, 2]]), F(np.array([2, 1], np.int64))], {}),
    "Squeeze": ([X([[1, 2]]), F(np.array([0], np.int64))], {}),
    "Unsqueeze": ([X([1, 2]), F(np.array([0], np.int64))], {}),
    "Split": ([X([1, 2])], {"axis": 0, "num_outputs": 2}),
    "Range": ([X(0), X(4), X(1)], {}),
    "Softmax": ([X([[1, 2]])], {}), "LogSoftmax": ([X([[1, 2]])], {}),
    "Conv": ([X(np.ones((1, 1, 3, 3))), X(np.ones((1, 1, 2, 2))), X(np.ones(1))], {}),
    "ConvTranspose": ([X(np.ones((1, 1, 3, 3))), X(np.ones((1, 1, 2, 2))), X(np.ones(1))], {}),
    "AveragePool": ([X(np.ones((1, 1, 3, 3)))], {"kernel_shape": [2, 2]}),
    "MaxPool": ([X(np.ones((1, 1, 3, 3)))], {"kernel_shape": [2, 2]}),
    "LpPool": ([X(np.ones((1, 1, 3, 3)))], {"kernel_shape": [2, 2]}),
    "GlobalAveragePool": ([X(np.ones((1, 1, 3, 3)))], {}), "GlobalMaxPool": ([X(np.ones((1, 1, 3, 3)))], {}),
    "Einsum": ([X([[1, 2], [3, 4]]), X([[1, 0], [0, 1]])], {"equation": "ij,jk->ik"}),
    "ReverseSequence": ([X([[1, 2], [3, 4]]), F(np.array([2, 1], np.int64))], {"batch_axis": 0, "time_axis": 1}),
    "OneHot": ([F(np.array([1, 0], np.int64)), F(np.array(2, np.int64)), X([0, 1])], {}),
    "Det": ([X([[1, 2], [3, 4]])], {}),
    "EyeLike": ([X([[1, 2], [3, 4]])], {}),
    "DepthToSpace": ([X(np.ones((1, 4, 1, 1)))], {"blocksize": 2}),
    "SpaceToDepth": ([X(np.ones((1, 1, 2, 2)))], {"blocksize": 2}),
    "Resize": ([X(np.ones((1, 1, 2, 2))), F(np.array([], np.float32)), F(np.array([1, 1, 2, 2], np.float32))], {}),
    "Unique": ([X([1, 2, 1])], {}),
    **{op: ([X([[0.5, 0.25]])], {}) for op in ("Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Atanh",
                                                "Elu", "Selu", "Celu", "Softplus", "Softsign", "Gelu", "Mish",
                                                "HardSigmoid", "HardSwish", "ThresholdedRelu", "LeakyRelu", "Shrink",
                                                "Hardmax")},
    "Acosh": ([X([[1.5, 2]])], {}),
    "PRelu": ([X([[1, -2]]), X([0.5])], {}),
    "Gemm": ([X([[1, 2], [3, 4]]), X([[1, 0], [0, 1]]), X([1, 2])], {}),
    "Flatten": ([X([[1, 2], [3, 4]])], {}),
    "Compress": ([X([1, 2, 3]), F(np.array([True, False, True]))], {"axis": 0}),
    "BatchNormalization": ([X(np.ones((1, 2, 2))), X([1, 2]), X([0, 1]), X([0, 0]), X([1, 1])], {}),
    "InstanceNormalization": ([X(np.ones((1, 2, 2))), X([1, 2]), X([0, 1])], {}),
    "LayerNormalization": ([X(np.ones((1, 2, 2))), X([1, 2]), X([0, 1])], {}),
    "GridSample": ([X(np.ones((1, 1, 2, 2))), X(np.zeros((1, 1, 1, 2)))], {}),
    "AffineGrid": ([X([[[1, 0, 0], [0, 1, 0]]]), F(np.array([1, 1, 2, 2], np.int64))], {}),
    "RoiAlign": ([X(np.ones((1, 1, 4, 4))), X([[0, 0, 2, 2]]), F(np.array([0], np.int64))], {}),
    "NegativeLogLikelihoodLoss": ([X([[-1, -2]]), F(np.array([1], np.int64))], {}),
    "BitShift": ([X([[4, 8]]), X([[1, 2]])], {"direction": "RIGHT"}),
    # reductions of ScatterElements/ScatterND have kernels of their own ("op@reduction")
    **{f"{op}@{red}": ([X([[1, 2], [3, 4]]), F(np.array([[1, 0]] if op == "ScatterElements" else [[1]], np.int64)),
                         X([[5, 6]])], {"axis": 0} if op == "ScatterElements" else {})
       for op in ("ScatterElements", "ScatterND") for red in ("add", "mul", "max", "min")},
    "ConstantOfShape": None,  # the type is an attribute; probed separately below
}


def probe(op, type_name):
    elem, np_type = TYPES[type_name]
    spec, attrs = PROBES[op]
    op, _, reduction = op.partition("@")
    if reduction:
        attrs = {**attrs, "reduction": reduction}
    names, infos, feeds = [], [], {}
    for k, (kind, value) in enumerate(spec):
        name = f"i{k}"
        array = np.array(value).astype(np_type) if kind == "T" else np.asarray(value)
        feeds[name] = array
        infos.append(helper.make_tensor_value_info(name, helper.np_dtype_to_tensor_dtype(array.dtype), array.shape))
        names.append(name)
    outputs = ["o0", "o1"] if op in ("Split", "TopK") else ["o0"]
    node = helper.make_node(op, names, outputs, **attrs)
    graph = helper.make_graph([node], "probe", infos, [helper.make_value_info(o, onnx.TypeProto()) for o in outputs])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=9)
    options = ort.SessionOptions()
    options.log_severity_level = 4
    try:
        session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        session.run(None, feeds)
        return True
    except Exception as e:
        text = str(e)
        if "Could not find an implementation" in text or "NOT_IMPLEMENTED" in text:
            return False
        return None  # not a valid probe for this type (the op's schema refuses it)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check")
    a = ap.parse_args()
    lines = ["// Generated by scripts/gen_ort_kernels.py from onnxruntime " + ort.__version__ + " (CPU provider): the",
             "// element types each ONNX op has a kernel for, probed at opset 20. Do not edit.",
             "// {op, {types with a kernel}, {inputs of the probed type}, outputs of the probed type}"]
    for op in sorted(k for k, v in PROBES.items() if v is not None):
        have = [t for t in TYPES if probe(op, t)]
        inputs = [k for k, (kind, _) in enumerate(PROBES[op][0]) if kind == "T"]
        lines.append(f'{{"{op}", {{' + ", ".join(DTYPE_NAMES[t] for t in have) + "}, {" +
                     ", ".join(map(str, inputs)) + "}, " + TYPED_OUTPUTS.get(op, "kFirstOutput") + "},")
    text = "\n".join(lines) + "\n"
    if a.check:
        if open(a.check).read() != text:
            sys.exit(f"{a.check} is stale: run scripts/gen_ort_kernels.py > {a.check}")
        return
    sys.stdout.write(text)


if __name__ == "__main__":
    main()

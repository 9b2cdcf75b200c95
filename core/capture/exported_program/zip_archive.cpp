#include "core/capture/exported_program/zip_archive.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "core/util/errors.h"

namespace t2o {
namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
// Deflate cannot compress by more than about 1032:1; a record claiming more is damaged
// (or a zip bomb), and is refused before anything is allocated for it.
constexpr uint64_t kMaxDeflateRatio = 1032;

// Little-endian reads that check the range first.
class Reader {
 public:
  Reader(const uint8_t* data, uint64_t size, const std::string& what) : data_(data), size_(size), what_(what) {}
  uint64_t U(uint64_t offset, int bytes) const {
    if (offset > size_ || static_cast<uint64_t>(bytes) > size_ - offset) Damaged("a header lies past the end of the data");
    uint64_t v = 0;
    for (int k = bytes - 1; k >= 0; --k) v = (v << 8) | data_[offset + k];
    return v;
  }
  [[noreturn]] void Damaged(const std::string& why) const { throw InputError(what_ + " (" + why + ")"); }
  uint64_t size() const { return size_; }
  const uint8_t* data() const { return data_; }

 private:
  const uint8_t* data_;
  uint64_t size_;
  std::string what_;
};

bool StartsLikeZip(const ByteRange& d) {
  return d.size >= 4 && d.data[0] == 'P' && d.data[1] == 'K' && d.data[2] == 3 && d.data[3] == 4;
}

}  // namespace

ZipArchive ZipArchive::OpenFile(const std::string& path) {
  std::shared_ptr<const MappedFile> file = MappedFile::Open(path);
  ZipArchive z;
  z.data_.owner = file;
  z.data_.data = file->data();
  z.data_.size = file->size();
  z.data_.span = FileSpan{file, 0};
  z.label_ = "'" + path + "'";
  z.ReadDirectory(true);
  return z;
}

ZipArchive ZipArchive::OpenBuffer(ByteRange data, const std::string& label) {
  ZipArchive z;
  z.data_ = std::move(data);
  z.label_ = label;
  z.ReadDirectory(false);
  return z;
}

void ZipArchive::ReadDirectory(bool is_file) {
  std::string damaged = is_file ? label_ + " is a damaged or truncated zip archive"
                                : label_ + " is not a readable torch.save archive";
  Reader r(data_.data, data_.size, damaged);
  // The end-of-central-directory record: the last signature whose comment fits.
  std::optional<uint64_t> eocd;
  if (data_.size >= 22) {
    uint64_t lowest = data_.size > 22 + 0xFFFF ? data_.size - 22 - 0xFFFF : 0;
    for (uint64_t p = data_.size - 22 + 1; p-- > lowest;)
      if (r.U(p, 4) == kEndOfDirectory && p + 22 + r.U(p + 20, 2) <= data_.size) {
        eocd = p;
        break;
      }
  }
  if (!eocd) {
    if (is_file && !StartsLikeZip(data_))
      throw InputError(label_ + " is not a PyTorch model: not a zip archive (expected a torch.jit.save or torch.export.save file)");
    r.Damaged("no end of central directory: the file was cut short");
  }
  uint64_t count = r.U(*eocd + 10, 2), dir_size = r.U(*eocd + 12, 4), dir_offset = r.U(*eocd + 16, 4);
  if (*eocd >= 20 && r.U(*eocd - 20, 4) == kZip64Locator) {
    uint64_t z64 = r.U(*eocd - 20 + 8, 8);
    if (r.U(z64, 4) != kZip64EndOfDirectory) r.Damaged("bad zip64 end of central directory");
    uint64_t count64 = r.U(z64 + 32, 8), dir_size64 = r.U(z64 + 40, 8), dir_offset64 = r.U(z64 + 48, 8);
    // A 32-bit field holds the real value unless it is all ones: the two records must agree.
    if ((count != 0xFFFF && count != count64) || (dir_size != 0xFFFFFFFF && dir_size != dir_size64) ||
        (dir_offset != 0xFFFFFFFF && dir_offset != dir_offset64))
      r.Damaged("the zip64 and 32-bit ends of the central directory disagree");
    count = count64;
    dir_size = dir_size64;
    dir_offset = dir_offset64;
  }
  if (dir_offset > data_.size || dir_size > data_.size - dir_offset) r.Damaged("the central directory lies past the end");
  // A directory entry takes at least 46 bytes: a count beyond that is a lie.
  if (count > dir_size / 46 + 1) r.Damaged("the central directory claims more entries than it can hold");
  uint64_t p = dir_offset;
  for (uint64_t i = 0; i < count; ++i) {
    if (r.U(p, 4) != kCentralHeader) r.Damaged("bad central directory entry " + std::to_string(i));
    Entry e;
    e.flags = static_cast<uint16_t>(r.U(p + 8, 2));
    e.method = static_cast<uint16_t>(r.U(p + 10, 2));
    e.compressed = r.U(p + 20, 4);
    e.size = r.U(p + 24, 4);
    uint64_t name_len = r.U(p + 28, 2), extra_len = r.U(p + 30, 2), comment_len = r.U(p + 32, 2);
    e.local_header = r.U(p + 42, 4);
    r.U(p + 46 + name_len + extra_len + comment_len - 1, 1);  // the whole entry is there
    std::string name(reinterpret_cast<const char*>(data_.data + p + 46), name_len);
    // zip64 extra field: the 64-bit values of the fields that are all ones, in order.
    for (uint64_t x = p + 46 + name_len; x + 4 <= p + 46 + name_len + extra_len;) {
      uint64_t id = r.U(x, 2), len = r.U(x + 2, 2), v = x + 4;
      if (id == 0x0001) {
        auto next = [&](uint64_t& field) {
          if (field != 0xFFFFFFFF) return;
          if (v + 8 > x + 4 + len) r.Damaged("short zip64 field of '" + name + "'");
          field = r.U(v, 8);
          v += 8;
        };
        next(e.size);
        next(e.compressed);
        next(e.local_header);
      }
      x += 4 + len;
    }
    p += 46 + name_len + extra_len + comment_len;
    if (entries_.emplace(name, e).second) names_.push_back(name);
  }
}

std::optional<uint64_t> ZipArchive::Size(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) return std::nullopt;
  return it->second.size;
}

ByteRange ZipArchive::Read(const std::string& name) const {
  auto it = entries_.find(name);
  if (it == entries_.end()) throw InputError(label_ + ": the record '" + name + "' is missing");
  const Entry& e = it->second;
  Reader r(data_.data, data_.size, label_ + ": the record '" + name + "' is damaged");
  if (r.U(e.local_header, 4) != kLocalHeader) r.Damaged("bad local header");
  uint64_t start = e.local_header + 30 + r.U(e.local_header + 26, 2) + r.U(e.local_header + 28, 2);
  if (start > data_.size || e.compressed > data_.size - start)
    r.Damaged("it holds " + std::to_string(data_.size > start ? data_.size - start : 0) + " of its " +
              std::to_string(e.compressed) + " bytes");
  if (e.flags & 1) throw InputError(label_ + ": the record '" + name + "' is encrypted");
  ByteRange out;
  if (e.method == 0) {
    if (e.compressed != e.size) r.Damaged("a stored record whose sizes differ");
    out.owner = data_.owner;
    out.data = data_.data + start;
    out.size = e.size;
    if (data_.span.file) out.span = FileSpan{data_.span.file, data_.span.offset + start};
    return out;
  }
  if (e.method != 8)
    throw InputError(label_ + ": the record '" + name + "' uses compression method " + std::to_string(e.method) +
                     " (only stored and deflated records are read)");
  if (e.size == 0) return out;
  if (e.size > e.compressed * kMaxDeflateRatio + 1024)
    r.Damaged("it claims " + std::to_string(e.size) + " bytes from " + std::to_string(e.compressed) +
              " compressed ones, more than deflate can produce");
  if (e.size > kMaxUncheckedAllocationBytes)
    r.Damaged("it inflates to " + std::to_string(e.size) + " bytes, over the " +
              std::to_string(kMaxUncheckedAllocationBytes >> 30) + " GiB limit for a compressed record (a zip bomb?)");
  auto inflated = std::make_shared<std::vector<uint8_t>>(e.size);
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) r.Damaged("zlib failed to start");
  zs.next_in = const_cast<uint8_t*>(data_.data + start);
  uint64_t in_left = e.compressed, out_done = 0;
  int status = Z_OK;
  while (status == Z_OK) {
    uInt in_chunk = static_cast<uInt>(std::min<uint64_t>(in_left, std::numeric_limits<uInt>::max()));
    uInt out_chunk = static_cast<uInt>(std::min<uint64_t>(e.size - out_done, std::numeric_limits<uInt>::max()));
    zs.avail_in = in_chunk;
    zs.next_out = inflated->data() + out_done;
    zs.avail_out = out_chunk;
    status = inflate(&zs, Z_NO_FLUSH);
    in_left -= in_chunk - zs.avail_in;
    out_done += out_chunk - zs.avail_out;
    if (status == Z_OK && (out_chunk - zs.avail_out) == 0 && (in_chunk - zs.avail_in) == 0) break;
  }
  inflateEnd(&zs);
  if (status != Z_STREAM_END || out_done != e.size) r.Damaged("bad deflate data");
  out.data = inflated->data();
  out.size = inflated->size();
  out.owner = std::move(inflated);
  return out;
}

}  // namespace t2o

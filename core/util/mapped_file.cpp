#include "core/util/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/util/errors.h"

namespace t2o {

std::shared_ptr<const MappedFile> MappedFile::Open(const std::string& path) {
  std::shared_ptr<MappedFile> f(new MappedFile());
  f->path_ = path;
  f->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f->fd_ < 0) throw InputError("'" + path + "': cannot open (" + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(f->fd_, &st) != 0) throw InputError("'" + path + "': cannot stat (" + std::strerror(errno) + ")");
  if (!S_ISREG(st.st_mode)) throw InputError("'" + path + "' is not a regular file");
  f->size_ = static_cast<uint64_t>(st.st_size);
  if (f->size_ == 0) return f;
  void* p = ::mmap(nullptr, f->size_, PROT_READ, MAP_PRIVATE, f->fd_, 0);
  if (p == MAP_FAILED) throw InputError("'" + path + "': cannot map into memory (" + std::strerror(errno) + ")");
  f->data_ = static_cast<const uint8_t*>(p);
  return f;
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace t2o

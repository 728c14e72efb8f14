// Float64 dense linear algebra for building dictionaries (issue 13): Cholesky solves, symmetric
// eigendecomposition, thin SVD and Yᵀ·Y, through the system's LAPACK/BLAS (OpenBLAS on Debian). The
// library is opened at run time (dlopen) rather than linked, so the addon still builds and loads where
// only oneDNN is installed; then `lapackInfo().lib` is null and parampred keeps its JS linear algebra.
//
// Layout: JS matrices are row-major, LAPACK's column-major, i.e. a row-major r×c array is the
// column-major c×r transpose. Symmetric inputs need no change; each function says how it maps the rest.
// Every array is a JS-owned Float64Array, overwritten in place (the caller passes copies it may lose).
#include <dlfcn.h>
#include <omp.h>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>
#include "common.h"
#include "threads.h"

namespace pp {

namespace {

using dpotrf_t = void (*)(const char*, const int*, double*, const int*, int*);
using dtrsm_t = void (*)(const char*, const char*, const char*, const char*, const int*, const int*, const double*,
                         const double*, const int*, double*, const int*);
using dsyevd_t = void (*)(const char*, const char*, const int*, double*, const int*, double*, double*, const int*,
                          int*, const int*, int*);
using dgesdd_t = void (*)(const char*, const int*, const int*, double*, const int*, double*, double*, const int*,
                          double*, const int*, double*, const int*, int*, int*);
using dsyrk_t = void (*)(const char*, const char*, const int*, const int*, const double*, const double*, const int*,
                         const double*, double*, const int*);
using setThreads_t = void (*)(int);

struct Lapack {
  std::string lib;  // the library that was opened; empty when none
  std::string error;
  dpotrf_t dpotrf = nullptr;
  dtrsm_t dtrsm = nullptr;
  dsyevd_t dsyevd = nullptr;
  dgesdd_t dgesdd = nullptr;
  dsyrk_t dsyrk = nullptr;
  setThreads_t setThreads = nullptr;  // openblas_set_num_threads, when the library is OpenBLAS
};

// The first of these that opens and has every routine wins: OpenBLAS (its own LAPACK), then the
// system's LAPACK alternative (which pulls in its BLAS). PARAMPRED_LAPACK names another library.
const Lapack& lapack() {
  static const Lapack L = [] {
    Lapack l;
    std::vector<std::string> names;
    if (const char* e = std::getenv("PARAMPRED_LAPACK")) names.emplace_back(e);
    for (const char* n : {"libopenblas.so.0", "libopenblas.so", "liblapack.so.3", "liblapack.so"}) names.emplace_back(n);
    for (const std::string& name : names) {
      void* h = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!h) {
        l.error += (l.error.empty() ? "" : "; ") + std::string(dlerror());
        continue;
      }
      l.dpotrf = reinterpret_cast<dpotrf_t>(dlsym(h, "dpotrf_"));
      l.dtrsm = reinterpret_cast<dtrsm_t>(dlsym(h, "dtrsm_"));
      l.dsyevd = reinterpret_cast<dsyevd_t>(dlsym(h, "dsyevd_"));
      l.dgesdd = reinterpret_cast<dgesdd_t>(dlsym(h, "dgesdd_"));
      l.dsyrk = reinterpret_cast<dsyrk_t>(dlsym(h, "dsyrk_"));
      l.setThreads = reinterpret_cast<setThreads_t>(dlsym(h, "openblas_set_num_threads"));
      if (l.dpotrf && l.dtrsm && l.dsyevd && l.dgesdd && l.dsyrk) {
        l.lib = name;
        l.error.clear();
        return l;
      }
      l.error += (l.error.empty() ? "" : "; ") + name + " lacks dpotrf/dtrsm/dsyevd/dgesdd/dsyrk";
      dlclose(h);
      l = Lapack{l.lib, l.error};
    }
    return l;
  }();
  return L;
}

// The library's routines for a problem of about `flops`, on the addon's thread count (setNumThreads /
// PARAMPRED_THREADS), or one thread below kSmallFlops as the addon's other kernels: on the busy 2-core
// machine a 32×32 solve took 34 ms when OpenBLAS split it over 2 threads, 0.01 ms on one. Null and a
// pending JS exception when no library opened.
const Lapack* use(const Napi::CallbackInfo& info, double flops) {
  const Lapack& l = lapack();
  if (l.lib.empty()) {
    Napi::Error::New(info.Env(), "LAPACK unavailable: " + l.error).ThrowAsJavaScriptException();
    return nullptr;
  }
  if (l.setThreads) l.setThreads(flops < kSmallFlops ? 1 : omp_get_max_threads());
  return &l;
}

}  // namespace

// lapackInfo(): { lib: the opened library or null, error: why none opened (or '') }.
static Napi::Value LapackInfo(const Napi::CallbackInfo& info) {
  const Lapack& l = lapack();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("lib", l.lib.empty() ? info.Env().Null() : Napi::String::New(info.Env(), l.lib));
  o.Set("error", l.error);
  return o;
}
PP_EXPORT("lapackInfo", LapackInfo);

// choleskySolve(a, b, n, m, tol): X with A·X = B, A n×n symmetric (overwritten by its Cholesky factor),
// B n×m row-major (overwritten by X). Returns 0, or j+1 when pivot j is ≤ tol or not finite (A is then
// not numerically positive definite; B is left as it was). dpotrf on the symmetric A, then, since the
// row-major B is the column-major Bᵀ (m×n), Xᵀ·A = Bᵀ as two triangular solves from the right.
static Napi::Value CholeskySolve(const Napi::CallbackInfo& info) {
  const int n = i32(info, 2), m = i32(info, 3);
  const Lapack* l = use(info, n * (n / 3.0 + 2.0 * m) * n);
  if (!l) return info.Env().Undefined();
  double* a = ptr<double>(info, 0);
  double* b = ptr<double>(info, 1);
  const double tol = info[4].As<Napi::Number>().DoubleValue();
  int ret = 0;
  l->dpotrf("L", &n, a, &n, &ret);  // column-major lower: A = L·Lᵀ
  if (ret == 0) {
    for (int j = 0; j < n; j++) {
      const double d = a[j * n + j];
      if (!(d * d > tol) || !std::isfinite(d)) {
        ret = j + 1;
        break;
      }
    }
  }
  if (ret != 0) return Napi::Number::New(info.Env(), ret);
  const double one = 1.0;
  if (n > 0 && m > 0) {
    l->dtrsm("R", "L", "T", "N", &m, &n, &one, a, &n, b, &m);  // Y·Lᵀ = Bᵀ
    l->dtrsm("R", "L", "N", "N", &m, &n, &one, a, &n, b, &m);  // Xᵀ·L = Y
  }
  return Napi::Number::New(info.Env(), 0);
}
PP_EXPORT("choleskySolve", CholeskySolve);

// symEig(a, n, w): eigenpairs of the symmetric n×n A by dsyevd. w gets the eigenvalues ascending; A is
// overwritten so that row k (row-major) is the unit eigenvector of w[k]. Returns LAPACK's info (0 = ok).
static Napi::Value SymEig(const Napi::CallbackInfo& info) {
  const int n = i32(info, 1);
  const Lapack* l = use(info, 9.0 * n * n * n);
  if (!l) return info.Env().Undefined();
  double* a = ptr<double>(info, 0);
  double* w = ptr<double>(info, 2);
  int ret = 0, lwork = -1, liwork = -1, iq = 0;
  double q = 0;
  l->dsyevd("V", "L", &n, a, &n, w, &q, &lwork, &iq, &liwork, &ret);
  if (ret != 0) return Napi::Number::New(info.Env(), ret);
  lwork = static_cast<int>(q) + 1;
  liwork = std::max(iq, 1);
  std::vector<double> work(lwork);
  std::vector<int> iwork(liwork);
  l->dsyevd("V", "L", &n, a, &n, w, work.data(), &lwork, iwork.data(), &liwork, &ret);
  return Napi::Number::New(info.Env(), ret);
}
PP_EXPORT("symEig", SymEig);

// svd(a, rows, cols, s, u, v): thin SVD A = U·diag(s)·Vᵀ of the row-major rows×cols A (overwritten),
// k = min(rows, cols): s (k, descending), U rows×k and V cols×k, both row-major. The row-major A is the
// column-major Aᵀ = V·S·Uᵀ, so dgesdd on it gives V as its left and Uᵀ as its right factor; its Uᵀ
// (k×rows column-major) is already U row-major, its V (column-major) is transposed into v.
static Napi::Value Svd(const Napi::CallbackInfo& info) {
  const int rows = i32(info, 1), cols = i32(info, 2);
  const Lapack* l = use(info, 10.0 * rows * cols * std::min(rows, cols));
  if (!l) return info.Env().Undefined();
  double* a = ptr<double>(info, 0);
  double* s = ptr<double>(info, 3);
  double* u = ptr<double>(info, 4);
  double* v = ptr<double>(info, 5);
  const int k = std::min(rows, cols);
  const int M = cols, N = rows;  // the column-major Aᵀ
  std::vector<double> vc(static_cast<size_t>(M) * k);
  std::vector<int> iwork(8 * static_cast<size_t>(std::max(k, 1)));
  int ret = 0, lwork = -1;
  double q = 0;
  const int ldvt = std::max(k, 1);
  l->dgesdd("S", &M, &N, a, &M, s, vc.data(), &M, u, &ldvt, &q, &lwork, iwork.data(), &ret);
  if (ret != 0) return Napi::Number::New(info.Env(), ret);
  lwork = static_cast<int>(q) + 1;
  std::vector<double> work(lwork);
  l->dgesdd("S", &M, &N, a, &M, s, vc.data(), &M, u, &ldvt, work.data(), &lwork, iwork.data(), &ret);
  if (ret != 0) return Napi::Number::New(info.Env(), ret);
  for (int i = 0; i < cols; i++)
    for (int j = 0; j < k; j++) v[static_cast<size_t>(i) * k + j] = vc[static_cast<size_t>(j) * M + i];
  return Napi::Number::New(info.Env(), 0);
}
PP_EXPORT("svd", Svd);

// gramAccumulate(y, rows, cols, c): C += Yᵀ·Y for the row-major rows×cols Y and cols×cols C, lower
// triangle (row-major) only; the strict upper triangle is left alone. dsyrk on the column-major Yᵀ.
static Napi::Value GramAccumulate(const Napi::CallbackInfo& info) {
  const int rows = i32(info, 1), cols = i32(info, 2);
  const Lapack* l = use(info, 1.0 * rows * cols * cols);
  if (!l) return info.Env().Undefined();
  const double* y = ptr<double>(info, 0);
  double* c = ptr<double>(info, 3);
  const double one = 1.0;
  if (rows > 0 && cols > 0) l->dsyrk("U", "N", &cols, &rows, &one, y, &cols, &one, c, &cols);
  return info.Env().Undefined();
}
PP_EXPORT("gramAccumulate", GramAccumulate);

}  // namespace pp

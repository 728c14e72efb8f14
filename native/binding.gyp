{
  "targets": [{
    "target_name": "parampred_native",
    "sources": ["<!@(node -e \"console.log(require('fs').readdirSync('src').filter(f=>f.endsWith('.cc')).map(f=>'src/'+f).join(' '))\")"],
    "include_dirs": ["<!@(node -p \"require('node-addon-api').include\")"],
    "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions"],
    "cflags_cc": ["-std=c++17", "-O3", "-march=x86-64-v3", "-fopenmp", "-fexceptions"],
    "libraries": ["-ldnnl", "-fopenmp"]
  }]
}

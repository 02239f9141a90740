// TEMP
#pragma once
namespace hlskit::hw {
template <class C> struct config_tag { using type = C; };
}

# The figures of nofit_nextpnr.log's "Device utilisation" table (used/available).
set(nofit_LC "8107/5280")
set(nofit_RAM "0/30")
set(nofit_DSP "0/8")
set(nofit_IO "10/96")

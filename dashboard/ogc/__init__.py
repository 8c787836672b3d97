"""OGC API – Features under /ogc/: other departments' GIS (QGIS, ArcGIS, GDAL) read gridcmd's
non-personal layers and H3 aggregates with no custom code."""

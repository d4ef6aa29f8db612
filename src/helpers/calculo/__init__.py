"""Las reglas de la metodología y las tablas de cada tipo de informe, sin archivos."""

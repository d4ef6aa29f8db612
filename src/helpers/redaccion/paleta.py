"""Los colores del informe, definidos una sola vez: el semáforo y la calificación
significan lo mismo en tablas y gráficos."""

COLOR_SEMAFORO = {"verde": "#2e7d32", "amarillo": "#f9a825", "rojo": "#c62828"}
# En las tablas, el semáforo es una figura de su color junto a la palabra, sin fondo: no se
# confunde con las celdas de calificación (rellenas) y se distingue sin ver colores.
SIMBOLO_SEMAFORO = {"verde": "●", "amarillo": "▲", "rojo": "■"}
# En los gráficos de barras, una trama por estado: el amarillo no se lee como la calificación
# «Medio» o «Bajo» (amarillo y naranja) y los estados se distinguen también sin ver colores.
TRAMA_SEMAFORO = {"verde": "", "amarillo": "////", "rojo": "...."}

COLOR_CALIFICACION = {
    "Excelente": "#1b5e20",
    "Alto": "#66bb6a",
    "Medio": "#fdd835",
    "Bajo": "#fb8c00",
    "Muy bajo": "#e53935",
    "Nulo": "#b71c1c",
}

COLOR_FISICO = "#1f4e79"       # avance físico y eficacia
COLOR_FINANCIERO = "#7b4f9d"   # ejecución financiera (violeta: no se confunde con el semáforo)

# Color del texto sobre cada fondo, para que se lea impreso.
TEXTO_SOBRE = {
    "#2e7d32": "#ffffff", "#c62828": "#ffffff", "#f9a825": "#000000",
    "#1b5e20": "#ffffff", "#66bb6a": "#000000", "#fdd835": "#000000",
    "#fb8c00": "#000000", "#e53935": "#ffffff", "#b71c1c": "#ffffff",
}

# El mapa de departamentos (`redaccion.mapa`): cinco tramos de 20 puntos, del más claro (menos
# de 20 %) al más oscuro (80 % o más), en un solo tono que se lee también sin distinguir
# colores y en gris: azul para el avance físico y la eficacia, violeta para la ejecución (los
# tonos de COLOR_FISICO y COLOR_FINANCIERO). Un departamento sin cifras, gris y rayado.
ESCALA_FISICO = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
ESCALA_FINANCIERO = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
COLOR_SIN_DATOS = "#d9d9d9"

"""La página de la unidad de planificación: el trimestre entero en el navegador, sin terminal
(`informe-poa app`, docs/pagina.md).

Voilà sirve un cuaderno de ipywidgets (`pagina.ipynb`, que sólo pone los pasos en la página)
en 127.0.0.1 con una ficha de acceso; lo que hace cada paso está en los módulos de este
paquete y se prueba sin navegador.
"""

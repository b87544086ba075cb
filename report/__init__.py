"""The researchers' report: a static HTML site (charts, comparisons, page evidence) from the warehouse.

`budget-etl report OUT_DIR` builds it (report.site.build_site); `budget-etl show` draws one
page of an archived PDF with a row boxed (report.show.show_page).
"""

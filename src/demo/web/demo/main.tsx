// Entry of the demo web app.
import { createRoot } from 'react-dom/client';
createRoot(document.getElementById('root')!).render(<h1>Demo</h1>);

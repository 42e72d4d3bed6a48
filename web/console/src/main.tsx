import { render } from 'preact';
import '../../common/base.css';
import './console.css';
import { App } from './app';

const root = document.getElementById('app');
if (root) render(<App />, root);
